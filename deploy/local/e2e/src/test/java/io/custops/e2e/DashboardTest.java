package io.custops.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.local.LocalStack;
import io.custops.local.infra.Keycloak;
import io.custops.local.infra.Postgres;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * The KPI dashboard of issue 7 in headless Chromium over the real stack: data seeded through the public APIs
 * (orders, feedback, an A/B-tested campaign that customers open, click, convert on and unsubscribe from, an alert
 * rule that fires), then the real sign-in at Keycloak as the analyst, and every panel checked for the data it draws.
 */
@ExtendWith(SharedStack.class)
class DashboardTest {
    private static final String GATEWAY = "http://localhost:" + LocalStack.GATEWAY_PORT;
    private static final Duration WAIT = Duration.ofSeconds(60);
    // the KPI rollup and the alert rules run every minute: a few rounds
    private static final Duration ROLLUP_WAIT = Duration.ofMinutes(4);
    private static final Duration PAGE_WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRACKING = Pattern.compile(Pattern.quote(GATEWAY) + "/t/[ocu]/[^\"'\\s<>]+");
    private static final List<String> SEEDED_KPIS = List.of("net-revenue", "orders", "buyers", "repurchase-rate", "retention-rate", "nps", "ltv");

    private final Keycloak keycloak = SharedStack.stack().keycloak();
    private final String integrator = keycloak.clientCredentialsToken("custops-integrator", "integrator-secret");
    private final String marketer = keycloak.passwordToken("marketer", "marketer");
    private final String analyst = keycloak.passwordToken("analyst", "analyst");

    @Test
    void theDashboardSignsInAtKeycloakAndDrawsTheSeededKpisCampaignsExperimentsAndAlerts() throws Exception {
        // the page and its sign-in settings are public; the data behind it is not
        given().redirects().follow(false).get(GATEWAY + "/dashboard").then().statusCode(302).header("Location", "/dashboard/");
        given().get(GATEWAY + "/dashboard/config.json").then().statusCode(200).body("issuer", equalTo(keycloak.issuer()))
                .body("clientId", equalTo(Keycloak.CONSOLE_CLIENT));
        given().get(GATEWAY + "/api/kpis/summary").then().statusCode(401);
        // a new release's script is fetched again, not taken from a day-long cache
        given().get(GATEWAY + "/dashboard/dashboard.js").then().statusCode(200).header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Seed seed = seed(today);
        String ruleName = "Orders <script>window.__xss=2</script> e2e " + UUID.randomUUID();
        String rule = given().auth().oauth2(analyst).contentType(ContentType.JSON).body(json(Map.of("name", ruleName, "kpi", "orders", "grain", "day",
                "mode", "threshold", "direction", "above", "levels", Map.of("warning", 1)))).post(GATEWAY + "/api/alerts/rules")
                .then().statusCode(201).extract().path("id");
        try {
            awaitEvaluation(seed, today, ruleName);
            String review = monthlyReview(today);
            try (HeadlessChromium browser = HeadlessChromium.start(Path.of("target/chromium.log"), 1440, 1000)) {
                signIn(browser, "analyst", "analyst");
                awaitPanels(browser);
                browser.screenshot(Path.of("target/dashboard.png"));
                assertPanels(browser, seed, today, ruleName);
                assertReview(browser, review);
                assertGrainSwitch(browser, today);
                assertSignOutAndAMemberIsTurnedAway(browser);
            }
        } finally {
            given().auth().oauth2(analyst).delete(GATEWAY + "/api/alerts/rules/" + rule);
        }
    }

    // ---------- seeding through the public APIs ----------

    /** What was seeded: the campaign (and its name), its A and B customers, and which of them did what. */
    private record Seed(String campaign, String campaignName, List<String> customers, int opened, int clicked, int converted, int unsubscribed) {
    }

    private Seed seed(LocalDate today) throws Exception {
        // a time zone where it is midday, so quiet hours never hold the e-mails back whenever this runs
        int offset = Math.floorMod(12 - java.time.ZonedDateTime.now(ZoneOffset.UTC).getHour() + 12, 24) - 12;
        String zone = offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
        String tag = UUID.randomUUID().toString().substring(0, 8);

        String a = template("Spring picks A " + tag);
        String b = template("Spring picks B " + tag);
        String segment = given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body(json(Map.of("name", "dashboard e2e " + tag, "kind", "static"))).post(GATEWAY + "/api/segments")
                .then().statusCode(201).extract().path("id");
        // markup in a name must come out as text on the page
        String campaignName = "Spring <img src=x onerror=\"window.__xss=1\"> picks & <b>more</b> " + tag;
        String campaign = given().auth().oauth2(marketer).contentType(ContentType.JSON).body(json(Map.of("name", campaignName, "templateId", a,
                "segmentId", segment, "variants", List.of(Map.of("name", "A", "templateId", a, "weight", 1), Map.of("name", "B", "templateId", b, "weight", 1)))))
                .post(GATEWAY + "/api/campaigns").then().statusCode(201).extract().path("id");

        // two customers in each arm: assignment is a hash of customer and campaign (A below bucket 5000), so pick them
        List<String> armA = new ArrayList<>(), armB = new ArrayList<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 0; i < 40 && (armA.size() < 2 || armB.size() < 2); i++) {
            String address = "dash-" + tag + "-" + i + "@example.com";
            String id = profile(address);
            addresses.put(id, address);
            List<String> arm = bucket(id, campaign) < 5000 ? armA : armB;
            if (arm.size() < 2) {
                arm.add(id);
            }
        }
        assertThat(armA).hasSize(2);
        assertThat(armB).hasSize(2);
        List<String> customers = List.of(armA.get(0), armA.get(1), armB.get(0), armB.get(1));
        for (String id : customers) {
            prepare(id, zone);
        }
        for (String id : customers) {
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(analyst).get(GATEWAY + "/api/scores/" + id).then().statusCode(200));
        }
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body(json(Map.of("customerIds", customers)))
                .put(GATEWAY + "/api/segments/" + segment + "/members").then().statusCode(200).body("entered", equalTo(4));
        await().atMost(WAIT).untilAsserted(() -> assertThat(StackSql.count("custops_campaign", "SELECT count(*) FROM segment_member WHERE segment_id = ?",
                UUID.fromString(segment))).isEqualTo(4L));
        for (String id : customers) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(StackSql.count("custops_campaign",
                    "SELECT count(*) FROM consent WHERE customer_id = ? AND channel = 'email' AND purpose = 'marketing' AND status = 'granted'",
                    UUID.fromString(id))).isEqualTo(1L));
        }

        // orders on several days: yesterday (the alert's complete day), two days ago, the previous month (so this month's
        // retention and repurchase have someone to count), and today; NPS answers this month
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant yesterday = today.minusDays(1).atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);
        Instant twoDaysAgo = today.minusDays(2).atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);
        Instant lastMonth = today.withDayOfMonth(1).minusMonths(1).plusDays(1).atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(order(armA.get(1), yesterday, "89.50"));
        events.add(order(armB.get(0), lastMonth, "45.00"));
        events.add(order(armB.get(0), now.minusSeconds(60), "61.20"));
        events.add(order(armB.get(1), twoDaysAgo, "120.00"));
        events.add(feedback(armA.get(0), now.minusSeconds(120), 10));
        events.add(feedback(armA.get(1), now.minusSeconds(120), 9));
        events.add(feedback(armB.get(0), now.minusSeconds(120), 6));
        ingest(events);

        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post(GATEWAY + "/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().auth().oauth2(marketer).get(GATEWAY + "/api/campaigns/" + campaign)
                .then().statusCode(200).body("status", equalTo("completed")).body("statistics.sent", equalTo(4)));

        // everyone opens; one in each arm clicks; A's clicker then orders (a conversion); B's other customer unsubscribes
        Map<String, Map<Character, String>> links = new LinkedHashMap<>();
        for (String id : customers) {
            links.put(id, trackingLinks(email(addresses.get(id))));
        }
        for (String id : customers) {
            given().get(links.get(id).get('o')).then().statusCode(200);
        }
        for (String id : List.of(armA.get(0), armB.get(0))) {
            given().urlEncodingEnabled(false).redirects().follow(false).get(links.get(id).get('c')).then().statusCode(302);
        }
        given().post(links.get(armB.get(1)).get('u')).then().statusCode(200);
        ingest(List.of(order(armA.get(0), Instant.now().truncatedTo(ChronoUnit.MILLIS), "149.90")));
        return new Seed(campaign, campaignName, customers, 4, 2, 1, 1);
    }

    private String template(String subject) throws JsonProcessingException {
        String body = "<p>New this spring, picked for you.</p><p><a href=\"https://shop.example.com/spring\">Shop the edit</a></p>"
                + "<p><a href=\"{links.unsubscribe}\">Unsubscribe</a></p>";
        return given().auth().oauth2(marketer).contentType(ContentType.JSON).body(json(Map.of("name", subject + " " + UUID.randomUUID(),
                "channel", "email", "category", "marketing", "defaultLocale", "en", "contents", Map.of("en", Map.of("subject", subject, "body", body)))))
                .post(GATEWAY + "/api/templates").then().statusCode(201).extract().path("id");
    }

    private String profile(String email) throws JsonProcessingException {
        return given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body(json(Map.of("identifiers", List.of(Map.of("type", "email", "value", email)), "firstName", "Dana", "source", "api")))
                .post(GATEWAY + "/api/profiles").then().statusCode(201).extract().path("id");
    }

    /** Midday time zone and e-mail marketing consent, so the campaign reaches the customer. */
    private void prepare(String id, String zone) {
        String etag = given().auth().oauth2(integrator).get(GATEWAY + "/api/profiles/" + id).then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(integrator).contentType("application/merge-patch+json").header("If-Match", etag)
                .body("{\"timeZone\":\"" + zone + "\"}").patch(GATEWAY + "/api/profiles/" + id).then().statusCode(200);
        given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("{\"consents\":[{\"channel\":\"email\",\"purpose\":\"marketing\",\"status\":\"granted\"}]}")
                .put(GATEWAY + "/api/profiles/" + id + "/consents").then().statusCode(200);
    }

    private static Map<String, Object> order(String customer, Instant at, String total) {
        String id = "DASH-" + UUID.randomUUID();
        return Map.of("eventId", id, "type", "OrderPlaced", "customerId", customer, "occurredAt", at.toString(), "source", "pos",
                "data", Map.of("orderId", id, "total", Map.of("value", total, "currency", "EUR")));
    }

    private static Map<String, Object> feedback(String customer, Instant at, int score) {
        String id = "DASH-NPS-" + UUID.randomUUID();
        return Map.of("eventId", id, "type", "FeedbackSubmitted", "customerId", customer, "occurredAt", at.toString(), "source", "survey",
                "data", Map.of("feedbackId", id, "kind", "nps", "score", score));
    }

    private void ingest(List<Map<String, Object>> events) throws JsonProcessingException {
        given().auth().oauth2(integrator).contentType(ContentType.JSON).body(json(Map.of("events", events))).post(GATEWAY + "/api/events")
                .then().statusCode(200).body("accepted", equalTo(events.size()));
    }

    /** The one e-mail in an address's inbox on the local mail server. */
    private static String email(String address) throws Exception {
        jakarta.mail.Store store = jakarta.mail.Session.getInstance(new java.util.Properties()).getStore("imap");
        store.connect("127.0.0.1", io.custops.local.infra.LocalMail.IMAP_PORT, address, address);
        try {
            jakarta.mail.Folder inbox = store.getFolder("INBOX");
            inbox.open(jakarta.mail.Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).as("mails to %s", address).isEqualTo(1);
            String body = String.valueOf(inbox.getMessage(1).getContent());
            inbox.close(false);
            return body;
        } finally {
            store.close();
        }
    }

    /** The open pixel (o), the click redirect (c) and the unsubscribe link (u) of an e-mail. */
    private static Map<Character, String> trackingLinks(String body) {
        Map<Character, String> links = new LinkedHashMap<>();
        Matcher m = TRACKING.matcher(body);
        while (m.find()) {
            String link = m.group().replace("&amp;", "&");
            links.putIfAbsent(link.charAt(GATEWAY.length() + 3), link);
        }
        assertThat(links).containsKeys('o', 'c', 'u');
        return links;
    }

    private static int bucket(String customer, String campaign) throws SQLException {
        Postgres postgres = Postgres.local();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("custops_campaign"), Postgres.USER, Postgres.PASSWORD);
                var statement = connection.prepareStatement("SELECT mod(mod(hashtextextended(CAST(? AS text) || CAST(? AS text), 0), 10000) + 10000, 10000)")) {
            statement.setString(1, customer);
            statement.setString(2, campaign);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    // ---------- waiting for evaluation-service ----------

    private void awaitEvaluation(Seed seed, LocalDate today, String ruleName) {
        await().atMost(ROLLUP_WAIT).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(kpi("orders", "day", null, today.minusDays(1))).as("yesterday's orders").isNotNull().isGreaterThanOrEqualTo(1.0);
            assertThat(kpi("orders", "day", null, today)).as("today's orders").isNotNull().isGreaterThanOrEqualTo(2.0);
            assertThat(kpi("retention-rate", "month", null, today.withDayOfMonth(1))).as("this month's retention").isNotNull();
            assertThat(kpi("nps", "month", null, today.withDayOfMonth(1))).as("this month's NPS").isNotNull();
            assertThat(campaignCount("open-rate", seed.campaign())).as("opened").isEqualTo(seed.opened());
            assertThat(campaignCount("click-rate", seed.campaign())).as("clicked").isEqualTo(seed.clicked());
            assertThat(campaignCount("conversion-rate", seed.campaign())).as("converted").isEqualTo(seed.converted());
            assertThat(campaignCount("unsubscribe-rate", seed.campaign())).as("unsubscribed").isEqualTo(seed.unsubscribed());
            for (String id : seed.customers()) {
                assertThat(given().auth().oauth2(analyst).get(GATEWAY + "/api/scores/" + id).then().statusCode(200).extract().<String>path("tier"))
                        .as("tier of %s", id).isNotNull();
            }
            assertThat(api("/api/experiments").getList("findAll { it.id == '" + seed.campaign() + "' }.assigned", Integer.class)).containsExactly(4);
            assertThat(api("/api/kpis/distribution?dimension=tier").getList("customers", Long.class)).isNotEmpty();
            assertThat(api("/api/kpis/migrations?dimension=tier").getList("moves")).isNotEmpty();
            assertThat(api("/api/kpis/health").getList("$")).isNotEmpty();
            assertThat(api("/api/alerts?status=unresolved").getList("ruleName", String.class)).contains(ruleName);
        });
    }

    /** This month's review, requested as an analyst would and published; its id. */
    private String monthlyReview(LocalDate today) {
        String id = given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"monthly\",\"period\":\"" + today + "\"}")
                .post(GATEWAY + "/api/reports").then().statusCode(202).extract().path("id");
        await().atMost(WAIT).untilAsserted(() -> assertThat(api("/api/reports/" + id).getString("status")).isEqualTo("published"));
        return id;
    }

    /** The review is listed with its headline, and its printable page comes with the page's token. */
    private void assertReview(HeadlessChromium browser, String id) {
        String headline = api("/api/reports/" + id).getString("body.headline");
        JsonNode listed = browser.evaluate("""
                (() => { const li = document.querySelector('li[data-report="%s"]'); if (!li) return null;
                  return { status: li.dataset.status, headline: li.querySelector('[data-role=headline]').textContent,
                    button: li.querySelector('button').textContent }; })()""".formatted(id));
        assertThat(listed.isNull()).as("the review is listed").isFalse();
        assertThat(listed.path("status").asText()).isEqualTo("published");
        assertThat(listed.path("headline").asText()).isEqualTo(headline).startsWith(today().getMonth().getDisplayName(java.time.format.TextStyle.FULL,
                java.util.Locale.ENGLISH));
        assertThat(listed.path("button").asText()).isEqualTo("Printable review");
        String html = browser.evaluate("Auth.api('/api/reports/%s', 'text/html')".formatted(id)).asText();
        assertThat(html).contains("<title>Monthly review — ", "<h2>Biggest movers</h2>", "<h2>All KPIs</h2>");
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** A campaign's count behind a message KPI (its numerator), over the last 12 months. */
    private long campaignCount(String kpi, String campaign) {
        List<Double> numerators = api("/api/kpis/" + kpi + "?grain=month&dim=campaign&value=" + campaign).getList("series.points.flatten().numerator", Double.class);
        return Math.round(numerators.stream().mapToDouble(Double::doubleValue).sum());
    }

    private JsonPath api(String path) {
        // doubles, as the page reads them (JsonPath's default floats would not compare equal)
        return given().auth().oauth2(analyst).get(GATEWAY + path).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** A KPI's value for all customers in one period; null when there is none. */
    private Double kpi(String name, String grain, String dimValue, LocalDate period) {
        JsonPath r = api("/api/kpis/" + name + "?grain=" + grain);
        List<Map<String, Object>> points = r.getList("series.find { it.dimValue == '' }.points");
        if (points == null) {
            return null;
        }
        return points.stream().filter(p -> period.toString().equals(p.get("period"))).map(p -> p.get("value"))
                .map(v -> v == null ? null : ((Number) v).doubleValue()).findFirst().orElse(null);
    }

    // ---------- the browser ----------

    private static void signIn(HeadlessChromium browser, String user, String password) {
        // without the slash: the redirect to /dashboard/ is part of what a user types
        browser.navigate(GATEWAY + "/dashboard");
        awaitLoginForm(browser);
        submitLogin(browser, user, password);
        await().atMost(PAGE_WAIT).until(() -> {
            JsonNode auth = browser.tryEvaluate("location.origin === '" + GATEWAY + "' && document.body && document.body.dataset.auth || null");
            return auth != null && auth.isTextual() && !auth.asText().isEmpty();
        });
    }

    private static void awaitLoginForm(HeadlessChromium browser) {
        await().atMost(WAIT).until(() -> {
            JsonNode form = browser.tryEvaluate("location.href.startsWith('" + SharedStack.stack().keycloak().issuer()
                    + "/protocol/openid-connect/auth') && !!document.getElementById('username')");
            return form != null && form.asBoolean();
        });
    }

    private static void submitLogin(HeadlessChromium browser, String user, String password) {
        browser.evaluate("""
                (() => {
                  document.getElementById('username').value = %s;
                  document.getElementById('password').value = %s;
                  (document.getElementById('kc-login') || document.querySelector('[type=submit]')).click();
                  return true;
                })()""".formatted(jsString(user), jsString(password)));
    }

    private static void awaitPanels(HeadlessChromium browser) {
        await().atMost(PAGE_WAIT).until(() -> {
            JsonNode done = browser.tryEvaluate("""
                    (() => { const s = [...document.querySelectorAll('section.chart')];
                      return s.length >= 15 && s.every(x => x.dataset.state !== 'loading'); })()""");
            return done != null && done.asBoolean();
        });
    }

    private JsonNode panels(HeadlessChromium browser) {
        return browser.evaluate("""
                Object.fromEntries([...document.querySelectorAll('section.chart')].map(s => [s.dataset.chart, {
                  state: s.dataset.state, points: Number(s.dataset.points), grain: s.dataset.grain || null,
                  text: s.querySelector('[data-role=body]').textContent.slice(0, 200),
                  values: [...s.querySelectorAll('[data-value]')].map(e => Number(e.dataset.value)) }]))""");
    }

    private void assertPanels(HeadlessChromium browser, Seed seed, LocalDate today, String ruleName) {
        JsonNode page = browser.evaluate("""
                ({ url: location.href, user: document.getElementById('user-name').textContent, auth: document.body.dataset.auth,
                   xss: window.__xss === undefined ? null : window.__xss })""");
        assertThat(page.path("url").asText()).as("the code is gone from the address").isEqualTo(GATEWAY + "/dashboard/#grain=month");
        assertThat(page.path("user").asText()).isEqualTo("Alan Analyst");
        assertThat(page.path("auth").asText()).isEqualTo("signed-in");
        assertThat(page.path("xss").isNull()).as("no markup from data ran").isTrue();

        JsonNode panels = panels(browser);
        panels.fields().forEachRemaining(p -> assertThat(p.getValue().path("state").asText()).as("panel %s: %s", p.getKey(), p.getValue().path("text").asText())
                .isIn("ready", "empty"));
        for (String name : List.of("summary", "tier-distribution", "tier-migration", "health", "campaign-funnel", "experiments", "alerts", "reviews")) {
            assertThat(panels.path(name).path("state").asText()).as("panel %s: %s", name, panels.path(name).path("text").asText()).isEqualTo("ready");
            assertThat(panels.path(name).path("points").asInt()).as("panel %s", name).isPositive();
        }
        for (String kpi : SEEDED_KPIS) {
            JsonNode chart = panels.path("kpi-" + kpi);
            assertThat(chart.path("state").asText()).as("chart %s: %s", kpi, chart.path("text").asText()).isEqualTo("ready");
            assertThat(chart.path("points").asInt()).as("chart %s", kpi).isPositive();
            assertThat(chart.path("grain").asText()).isEqualTo("month");
        }

        // the charts draw what the API says: this month's orders, revenue and buyers are the last marks
        for (String kpi : List.of("orders", "net-revenue", "buyers")) {
            Double expected = kpi(kpi, "month", null, today.withDayOfMonth(1));
            JsonNode dots = browser.evaluate("[...document.querySelectorAll('[data-chart=\"kpi-" + kpi + "\"] circle.dot')].map(c => ({ v: Number(c.dataset.value), p: c.dataset.period }))");
            JsonNode last = dots.get(dots.size() - 1);
            assertThat(last.path("p").asText()).isEqualTo(today.withDayOfMonth(1).toString());
            assertThat(last.path("v").asDouble()).as("%s this month", kpi).isEqualTo(expected).isGreaterThanOrEqualTo(kpi.equals("net-revenue") ? 149.9 : 2);
        }
        JsonNode ordersTile = browser.evaluate("Number(document.querySelector('[data-chart=summary] [data-kpi=orders]').dataset.value)");
        assertThat(ordersTile.asDouble()).isEqualTo(kpi("orders", "month", null, today.withDayOfMonth(1)));

        // tiers: the bars add up to the customers with a tier; the migration cells to the customers who moved
        long tiered = api("/api/kpis/distribution?dimension=tier").getList("customers", Long.class).stream().mapToLong(Long::longValue).sum();
        assertThat(sum(panels.path("tier-distribution").path("values"))).isEqualTo(tiered);
        long moved = api("/api/kpis/migrations?dimension=tier").getList("moves.customers", Long.class).stream().mapToLong(Long::longValue).sum();
        assertThat(sum(panels.path("tier-migration").path("values"))).isEqualTo(moved).isGreaterThanOrEqualTo(4);

        // the campaign's funnel, named as created (markup as text), with the stages the customers went through
        JsonNode funnel = browser.evaluate("""
                (() => { const row = document.querySelector('[data-campaign="%s"]'); if (!row) return null;
                  return { name: row.querySelector('.funnel-name').textContent, markup: row.querySelectorAll('img, b, script').length,
                    stages: Object.fromEntries([...row.querySelectorAll('[data-stage]')].map(r => [r.dataset.stage, Number(r.dataset.value)])),
                    unsubscribe: Number(row.querySelector('[data-stat=unsubscribe-rate]').dataset.value) }; })()""".formatted(seed.campaign()));
        assertThat(funnel.isNull()).as("a funnel row for the seeded campaign").isFalse();
        assertThat(funnel.path("name").asText()).isEqualTo(seed.campaignName());
        assertThat(funnel.path("markup").asInt()).isZero();
        assertThat(funnel.path("stages").path("sent").asInt()).isEqualTo(4);
        assertThat(funnel.path("stages").path("opened").asInt()).isEqualTo(seed.opened());
        assertThat(funnel.path("stages").path("clicked").asInt()).isEqualTo(seed.clicked());
        assertThat(funnel.path("stages").path("converted").asInt()).isEqualTo(seed.converted());
        assertThat(funnel.path("unsubscribe").asDouble()).isEqualTo(100.0 * seed.unsubscribed() / 4);

        // the A/B test: both arms with their customers, B against the baseline A with a finite interval
        JsonNode experiment = browser.evaluate("""
                (() => { const card = document.querySelector('[data-experiment="%s"]'); if (!card) return null;
                  return { title: card.querySelector('h3').textContent,
                    arms: [...card.querySelectorAll('tr[data-variant]')].map(r => ({ variant: r.dataset.variant, customers: r.children[1].textContent })),
                    intervals: [...card.querySelectorAll('circle.estimate')].map(c => [Number(c.dataset.low), Number(c.dataset.value), Number(c.dataset.high)]) }; })()"""
                .formatted(seed.campaign()));
        assertThat(experiment.isNull()).as("a card for the seeded A/B test").isFalse();
        assertThat(experiment.path("title").asText()).isEqualTo(seed.campaignName());
        assertThat(experiment.path("arms").findValuesAsText("variant")).containsExactlyInAnyOrder("A", "B");
        assertThat(experiment.path("arms").findValuesAsText("customers")).containsExactly("2", "2");
        assertThat(experiment.path("intervals")).hasSize(1);
        JsonNode interval = experiment.path("intervals").get(0);
        assertThat(interval.get(0).asDouble()).isLessThanOrEqualTo(interval.get(1).asDouble());
        assertThat(interval.get(1).asDouble()).isLessThanOrEqualTo(interval.get(2).asDouble());

        // the alert the rule raised on yesterday's orders, its name as text
        JsonNode alert = browser.evaluate("""
                (() => { const li = [...document.querySelectorAll('li[data-alert]')].find(l => l.dataset.label === %s); if (!li) return null;
                  return { severity: li.dataset.severity, kpi: li.dataset.kpi, value: Number(li.dataset.value),
                    name: li.querySelector('.alert-name').textContent, scripts: li.querySelectorAll('script').length }; })()"""
                .formatted(jsString(ruleName)));
        assertThat(alert.isNull()).as("the raised alert is listed").isFalse();
        assertThat(alert.path("severity").asText()).isEqualTo("warning");
        assertThat(alert.path("kpi").asText()).isEqualTo("orders");
        assertThat(alert.path("value").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(alert.path("name").asText()).isEqualTo(ruleName);
        assertThat(alert.path("scripts").asInt()).isZero();
    }

    /** Day grain redraws every KPI chart by day, today's orders last. */
    private void assertGrainSwitch(HeadlessChromium browser, LocalDate today) {
        browser.evaluate("document.querySelector('button[data-grain=day]').click(), true");
        await().atMost(PAGE_WAIT).until(() -> {
            JsonNode done = browser.tryEvaluate("""
                    [...document.querySelectorAll('section.kpi')].every(s => s.dataset.grain === 'day' && s.dataset.state !== 'loading')""");
            return done != null && done.asBoolean();
        });
        JsonNode panels = panels(browser);
        assertThat(panels.path("kpi-orders").path("state").asText()).isEqualTo("ready");
        JsonNode dots = browser.evaluate("[...document.querySelectorAll('[data-chart=\"kpi-orders\"] circle.dot')].map(c => ({ v: Number(c.dataset.value), p: c.dataset.period }))");
        assertThat(dots).hasSize(12);
        JsonNode last = dots.get(11);
        assertThat(last.path("p").asText()).isEqualTo(today.toString());
        assertThat(last.path("v").asDouble()).isEqualTo(kpi("orders", "day", null, today)).isGreaterThanOrEqualTo(2.0);
        assertThat(dots.get(10).path("v").asDouble()).as("yesterday").isGreaterThanOrEqualTo(1.0);
        assertThat(browser.evaluate("location.hash").asText()).isEqualTo("#grain=day");
    }

    /** Signing out ends the Keycloak session; a member (no analyst, marketer or admin role) is told so and sees no data. */
    private void assertSignOutAndAMemberIsTurnedAway(HeadlessChromium browser) {
        browser.evaluate("document.getElementById('logout').click(), true");
        await().atMost(WAIT).until(() -> {
            JsonNode auth = browser.tryEvaluate("location.origin === '" + GATEWAY + "' && document.body && document.body.dataset.auth || null");
            return auth != null && "signed-out".equals(auth.asText());
        });
        browser.evaluate("document.querySelector('#notice button').click(), true");
        awaitLoginForm(browser); // the Keycloak session is gone: the login form again, not a silent sign-in
        submitLogin(browser, "member", "member");
        await().atMost(PAGE_WAIT).until(() -> {
            JsonNode done = browser.tryEvaluate("""
                    document.body.dataset.auth === 'forbidden' && !!document.querySelector('[data-chart=summary]')
                      && document.querySelector('[data-chart=summary]').dataset.state !== 'loading'""");
            return done != null && done.asBoolean();
        });
        assertThat(browser.evaluate("document.getElementById('notice').textContent").asText()).contains("analyst, marketer or admin");
        JsonNode panels = panels(browser);
        assertThat(panels.path("summary").path("state").asText()).isEqualTo("forbidden");
        assertThat(panels.path("summary").path("values")).isEmpty();
    }

    // ---------- helpers ----------

    private static long sum(JsonNode values) {
        long total = 0;
        for (JsonNode v : values) {
            total += v.asLong();
        }
        return total;
    }

    private static String json(Object value) throws JsonProcessingException {
        return JSON.writeValueAsString(value);
    }

    private static String jsString(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
