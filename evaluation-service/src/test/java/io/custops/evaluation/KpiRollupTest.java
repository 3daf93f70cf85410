package io.custops.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static io.custops.evaluation.TestEvents.DOUBLES;
import static io.custops.evaluation.TestEvents.send;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;


import io.custops.evaluation.kpis.KpiRollup;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.events.payload.ComplaintResolved;
import io.custops.events.payload.Converted;
import io.custops.events.payload.FeedbackSubmitted;
import io.custops.events.payload.InteractionRecorded;
import io.custops.events.payload.MessageClicked;
import io.custops.events.payload.MessageDelivered;
import io.custops.events.payload.MessageOpened;
import io.custops.events.payload.MessageSent;
import io.custops.events.payload.Money;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.OrderRefunded;
import io.custops.events.payload.PointsEarned;
import io.custops.events.payload.PointsRedeemed;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfileUpdated;
import io.custops.events.payload.ProfilesMerged;
import io.custops.events.payload.ReferralCompleted;
import io.custops.events.payload.ScoresUpdated;
import io.custops.events.payload.SegmentEntered;
import io.custops.events.payload.TierChanged;
import io.custops.events.payload.Unsubscribed;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * KPIs on a small hand-made dataset (four customers, January to March 2024) sent through Kafka, with every figure
 * worked out by hand in the comments; then a merge and an erasure, and the rollup of the changed days only.
 */
@QuarkusTest
class KpiRollupTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String analyst = TestTokens.bearer("analyst");
    private final UUID c1 = UUID.randomUUID(), c2 = UUID.randomUUID(), c3 = UUID.randomUUID(), c4 = UUID.randomUUID();
    private final UUID segment = UUID.randomUUID(), campaign = UUID.randomUUID(), pool = UUID.randomUUID(), template = UUID.randomUUID();

    @Inject
    KpiRollup rollup;

    @Test
    void kpisOfAKnownDatasetThenAMergeAndAnErasure() throws Throwable {
        send(Topics.PROFILE, c1, EventType.PROFILE_REGISTERED, new ProfileRegistered(c1, at("2024-01-02T09:00:00Z"), "api", "web", "en", "EU"));
        send(Topics.PROFILE, c2, EventType.PROFILE_REGISTERED, new ProfileRegistered(c2, at("2024-01-10T09:00:00Z"), "api", "web", "en", "EU"));
        send(Topics.PROFILE, c3, EventType.PROFILE_REGISTERED, new ProfileRegistered(c3, at("2024-02-01T09:00:00Z"), "api", "web", "en", "EU"));
        send(Topics.PROFILE, c4, EventType.PROFILE_REGISTERED, new ProfileRegistered(c4, at("2024-02-15T09:00:00Z"), "api", "web", "en", "EU"));
        send(Topics.PROFILE, c1, EventType.PROFILE_UPDATED, new ProfileUpdated(c1, List.of("firstName"), new BigDecimal("0.5"), at("2024-01-03T09:00:00Z")));
        send(Topics.PROFILE, c2, EventType.PROFILE_UPDATED, new ProfileUpdated(c2, List.of("firstName"), new BigDecimal("0.7"), at("2024-01-11T09:00:00Z")));
        send(Topics.PROFILE, c1, EventType.PROFILE_UPDATED, new ProfileUpdated(c1, List.of("birthday"), new BigDecimal("0.9"), at("2024-02-02T09:00:00Z")));

        order(c1, "o1", "2024-01-05T10:00:00Z", "100.00", "EUR");
        order(c1, "o1", "2024-01-05T10:00:00Z", "100.00", "EUR"); // resent under a new event id: counted once
        order(c1, "o2", "2024-01-20T10:00:00Z", "50.00", "EUR");
        order(c1, "o3", "2024-02-10T10:00:00Z", "30.00", "EUR");
        order(c2, "o4", "2024-01-15T10:00:00Z", "200.00", "EUR");
        order(c2, "o5", "2024-03-03T10:00:00Z", "100.00", "EUR");
        order(c3, "o6", "2024-02-05T10:00:00Z", "60.00", "EUR");
        order(c3, "o7", "2024-02-06T10:00:00Z", "999.00", "USD"); // another currency: an order, but no revenue
        send(Topics.ACTIVITY, c1, EventType.ORDER_REFUNDED, new OrderRefunded(c1, "o2", "r1", at("2024-01-25T10:00:00Z"), new Money("20.00", "EUR"),
                "damaged", "pos", null));

        feedback(c1, "n1", "nps", 10, "2024-01-08T10:00:00Z");
        feedback(c2, "n2", "nps", 3, "2024-01-18T10:00:00Z");
        feedback(c3, "n3", "nps", 9, "2024-01-28T10:00:00Z");
        feedback(c1, "s1", "csat", 4, "2024-02-08T10:00:00Z");
        feedback(c2, "s2", "csat", 5, "2024-02-09T10:00:00Z");
        send(Topics.ACTIVITY, c2, EventType.FEEDBACK_SUBMITTED, new FeedbackSubmitted(c2, "k1", "complaint", null, "delivery",
                at("2024-01-16T10:00:00Z"), "web", "crm"));
        send(Topics.ACTIVITY, c3, EventType.FEEDBACK_SUBMITTED, new FeedbackSubmitted(c3, "k2", "complaint", null, "billing",
                at("2024-01-20T10:00:00Z"), "web", "crm"));
        send(Topics.ACTIVITY, c2, EventType.COMPLAINT_RESOLVED, new ComplaintResolved(c2, "k1", at("2024-01-17T16:00:00Z"), "compensated", "crm"));
        for (String i : List.of("i1", "i2", "i3")) {
            send(Topics.ACTIVITY, c1, EventType.INTERACTION_RECORDED, new InteractionRecorded(c1, i, "login", at("2024-01-12T10:00:00Z"), "app", "app", null));
        }
        send(Topics.ACTIVITY, c2, EventType.INTERACTION_RECORDED, new InteractionRecorded(c2, "i4", "page_view", at("2024-01-13T10:00:00Z"), "web", "web", null));

        send(Topics.COMMUNITY, c1, EventType.POINTS_EARNED, new PointsEarned(c1, 9_000_001L, 100, "order", "o1", "available", null, null, at("2024-01-05T10:00:00Z")));
        send(Topics.COMMUNITY, c2, EventType.POINTS_EARNED, new PointsEarned(c2, 9_000_002L, 50, "order", "o4", "available", null, null, at("2024-01-15T10:00:00Z")));
        send(Topics.COMMUNITY, c1, EventType.POINTS_REDEEMED, new PointsRedeemed(c1, UUID.randomUUID(), UUID.randomUUID(), 40, at("2024-01-22T10:00:00Z")));
        send(Topics.COMMUNITY, c1, EventType.REFERRAL_COMPLETED, new ReferralCompleted(c1, UUID.randomUUID(), c4, "registered", 50, 20,
                at("2024-02-15T09:00:00Z")));

        UUID m1 = UUID.randomUUID(), m2 = UUID.randomUUID(), m3 = UUID.randomUUID();
        sent(c1, m1, "email", "0.5000");
        sent(c2, m2, "email", "0.5000");
        sent(c3, m3, "sms", "1.0000");
        Instant day = at("2024-01-10T12:00:00Z");
        for (UUID[] m : new UUID[][] { { c1, m1 }, { c2, m2 }, { c3, m3 } }) {
            send(Topics.CAMPAIGN, m[0], EventType.MESSAGE_DELIVERED, new MessageDelivered(m[0], m[1], "email", template, campaign, day));
        }
        send(Topics.CAMPAIGN, c1, EventType.MESSAGE_OPENED, new MessageOpened(c1, m1, "email", template, campaign, day));
        send(Topics.CAMPAIGN, c2, EventType.MESSAGE_OPENED, new MessageOpened(c2, m2, "email", template, campaign, day));
        send(Topics.CAMPAIGN, c1, EventType.MESSAGE_CLICKED, new MessageClicked(c1, m1, "email", template, campaign, "https://shop.example/x", day));
        send(Topics.CAMPAIGN, c1, EventType.CONVERTED, new Converted(c1, m1, "email", template, campaign, "o1", new Money("100.00", "EUR"), "click",
                at("2024-01-10T13:00:00Z")));
        send(Topics.CAMPAIGN, c3, EventType.UNSUBSCRIBED, new Unsubscribed(c3, m3, "sms", "marketing", "link", day));

        send(Topics.SEGMENTATION, c1, EventType.SEGMENT_ENTERED, new SegmentEntered(c1, segment, "Known answers", at("2024-01-01T00:00:00Z"), "event"));
        send(Topics.SEGMENTATION, c2, EventType.SEGMENT_ENTERED, new SegmentEntered(c2, segment, "Known answers", at("2024-01-01T00:00:00Z"), "event"));
        tier(c1, null, "C", "2024-01-05T10:00:00Z");
        tier(c1, "C", "B", "2024-01-20T10:00:00Z");
        tier(c2, null, "B", "2024-01-15T10:00:00Z");
        tier(c3, null, "C", "2024-02-05T10:00:00Z");
        scores(c1, "B", 80, false, false);
        scores(c2, "B", 35, true, true);
        scores(c3, "C", 55, false, false);

        await().atMost(WAIT).until(() -> "7".equals(count("order_fact", c1, c2, c3)) && "1".equals(count("refund_fact", c1))
                && "7".equals(count("feedback_fact", c1, c2, c3)) && TestSql.value("SELECT resolved_at FROM feedback_fact WHERE feedback_id = 'k1' AND customer_id = ?", c2) != null
                && "4".equals(count("interaction_fact", c1, c2)) && "3".equals(count("points_fact", c1, c2))
                && "1".equals(TestSql.value("SELECT count(*) FROM referral_fact WHERE referee_id = ?", c4))
                && "1".equals(TestSql.value("SELECT count(*) FROM message_fact WHERE campaign_id = ? AND converted_at IS NOT NULL", campaign))
                && "1".equals(TestSql.value("SELECT count(*) FROM message_fact WHERE campaign_id = ? AND unsubscribed_at IS NOT NULL", campaign))
                && "2".equals(TestSql.value("SELECT count(*) FROM message_fact WHERE campaign_id = ? AND opened_at IS NOT NULL", campaign))
                && "4".equals(TestSql.value("SELECT count(*) FROM state_change_fact WHERE customer_id IN (?, ?, ?)", c1, c2, c3))
                && "3".equals(TestSql.value("SELECT count(*) FROM customer_dim WHERE health_index IS NOT NULL AND customer_id IN (?, ?, ?)", c1, c2, c3))
                && "2".equals(TestSql.value("SELECT count(*) FROM customer_dimension WHERE dim_value = ?", segment.toString()))
                && "3".equals(TestSql.value("SELECT count(*) FROM completeness_change WHERE customer_id IN (?, ?)", c1, c2))
                && "4".equals(TestSql.value("SELECT count(*) FROM customer_dim WHERE registered_at IS NOT NULL AND customer_id IN (?, ?, ?, ?)", c1, c2, c3, c4)));

        given().auth().oauth2(analyst).post("/api/kpis/recompute").then().statusCode(403); // rebuilding is for admins
        given().auth().oauth2(TestTokens.bearer("admin")).post("/api/kpis/recompute").then().statusCode(202);
        await().atMost(WAIT).until(() -> "finished".equals(given().auth().oauth2(analyst).get("/api/kpis/recompute").then().statusCode(200)
                .extract().path("status")));

        // net revenue: Jan 100 + 50 + 200 - 20 (refund of o2) = 330; Feb 30 + 60 = 90 (the USD order left out); Mar 100
        assertSeries("net-revenue", "all", "", 330, 90, 100);
        assertSeries("orders", "all", "", 3, 3, 1);
        assertSeries("buyers", "all", "", 2, 2, 1);
        // AOV: Jan 350 / 3; Feb 90 / 2 (priced orders only); refund rate Jan 20 / 350
        assertSeries("average-order-value", "all", "", 350.0 / 3, 45, 100);
        assertThat(point("refund-rate", "all", "", "2024-01-01").getDouble("value")).isCloseTo(100 * 20 / 350.0, within(1e-9));
        // repurchase: Jan c1 (two orders) of c1, c2 = 50%; Feb c1 (bought before), c3 (two orders) = 100%; Mar c2 (bought before) = 100%
        assertSeries("repurchase-rate", "all", "", 50, 100, 100);
        // retention: Feb: of Jan's buyers c1, c2 only c1 bought again = 50%; Mar: of Feb's c1, c3 nobody = 0%
        assertThat(point("retention-rate", "all", "", "2024-02-01").getDouble("value")).isCloseTo(50, within(1e-9));
        assertThat(point("retention-rate", "all", "", "2024-03-01").getDouble("value")).isCloseTo(0, within(1e-9));
        // LTV to date (over all time, so taken in the segment of c1 and c2 alone): Jan 330 / 2 customers; Feb 360 / 2; Mar 460 / 2;
        // change Feb vs Jan = (180 - 165) / 165
        assertSeries("ltv", "segment", segment.toString(), 165, 180, 230);
        assertThat(point("ltv", "segment", segment.toString(), "2024-02-01").getDouble("change")).isCloseTo((180 - 165) / 165.0, within(1e-9));
        // groups: segment (c1, c2) Jan 330, Feb 30; tier B (c1, c2) the same; tier C (c3) Feb 60
        assertSeries("net-revenue", "segment", segment.toString(), 330, 30, 100);
        assertThat(point("net-revenue", "tier", "C", "2024-02-01").getDouble("value")).isCloseTo(60, within(1e-9));
        // NPS Jan: promoters c1 (10), c3 (9), detractor c2 (3): (2 - 1) / 3 × 100; CSAT Feb (4 + 5) / 2
        assertThat(point("nps", "all", "", "2024-01-01").getDouble("value")).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(point("csat", "all", "", "2024-02-01").getDouble("value")).isCloseTo(4.5, within(1e-9));
        // complaints Jan: two, one resolved after 30 hours
        assertThat(point("complaints", "all", "", "2024-01-01").getDouble("value")).isCloseTo(2, within(1e-9));
        assertThat(point("complaint-resolution-rate", "all", "", "2024-01-01").getDouble("value")).isCloseTo(50, within(1e-9));
        assertThat(point("complaint-response-hours", "all", "", "2024-01-01").getDouble("value")).isCloseTo(30, within(1e-9));
        // interactions Jan: 4 by 2 customers
        assertThat(point("interactions", "all", "", "2024-01-01").getDouble("value")).isCloseTo(4, within(1e-9));
        assertThat(point("interaction-frequency", "all", "", "2024-01-01").getDouble("value")).isCloseTo(2, within(1e-9));
        // points Jan: 40 of 150 redeemed; 1 of 2 earners redeemed
        assertThat(point("points-redemption-rate", "all", "", "2024-01-01").getDouble("value")).isCloseTo(100 * 40 / 150.0, within(1e-9));
        assertThat(point("points-usage-rate", "all", "", "2024-01-01").getDouble("value")).isCloseTo(50, within(1e-9));
        // registrations: Jan c1, c2; Feb c3, c4 of whom c4 was referred
        assertSeries("new-customers", "all", "", 2, 2);
        assertThat(point("referral-rate", "all", "", "2024-02-01").getDouble("value")).isCloseTo(50, within(1e-9));
        // completeness: Jan (0.5 + 0.7) / 2; Feb (0.9 + 0.7) / 2
        assertSeries("profile-completeness", "all", "", 60, 80);
        // the campaign's funnel in January: 3 sent, 3 delivered, 2 opened, 1 clicked, 1 converted (100 EUR), 1 unsubscribed, cost 2 EUR
        String k = campaign.toString();
        assertThat(point("messages-sent", "campaign", k, "2024-01-01").getDouble("value")).isCloseTo(3, within(1e-9));
        assertThat(point("delivery-rate", "campaign", k, "2024-01-01").getDouble("value")).isCloseTo(100, within(1e-9));
        assertThat(point("open-rate", "campaign", k, "2024-01-01").getDouble("value")).isCloseTo(200.0 / 3, within(1e-9));
        assertThat(point("click-to-open-rate", "campaign", k, "2024-01-01").getDouble("value")).isCloseTo(50, within(1e-9));
        assertThat(point("conversion-rate", "campaign", k, "2024-01-01").getDouble("value")).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(point("unsubscribe-rate", "campaign", k, "2024-01-01").getDouble("value")).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(point("campaign-cost", "budget-pool", pool.toString(), "2024-01-01").getDouble("value")).isCloseTo(2, within(1e-9));
        assertThat(point("roi", "campaign", k, "2024-01-01").getDouble("value")).isCloseTo(100 * (100 - 2) / 2.0, within(1e-9));
        // weeks and quarters too: Q1 net revenue 520
        assertThat(given().auth().oauth2(analyst).queryParam("grain", "quarter").queryParam("from", "2024-01-01").queryParam("to", "2024-03-31")
                .get("/api/kpis/net-revenue").then().statusCode(200).extract().jsonPath().using(DOUBLES).getDouble("series[0].points[0].value")).isCloseTo(520, within(1e-9));

        // cohorts: January's (c1, c2) are 2, then 1 active in Feb (c1) and 1 in Mar (c2); February's (c3) is 1
        JsonPath cohorts = given().auth().oauth2(analyst).queryParam("from", "2024-01-01").queryParam("to", "2024-03-01").get("/api/kpis/cohorts")
                .then().statusCode(200).extract().jsonPath().using(DOUBLES);
        assertThat(cohorts.getInt("find { it.cohort == '2024-01-01' }.customers")).isEqualTo(2);
        assertThat(cohorts.getList("find { it.cohort == '2024-01-01' }.retention.rate", Double.class)).containsExactly(100.0, 50.0, 50.0);
        assertThat(cohorts.getList("find { it.cohort == '2024-01-01' }.retention.offset", Integer.class)).containsExactly(0, 1, 2);
        assertThat(cohorts.getInt("find { it.cohort == '2024-02-01' }.customers")).isEqualTo(1);
        // tier migrations in January: c1 none → C → B counts once as none → B, c2 none → B; with February also c3 none → C
        JsonPath jan = given().auth().oauth2(analyst).queryParam("dimension", "tier").queryParam("from", "2024-01-01").queryParam("to", "2024-01-01")
                .get("/api/kpis/migrations").then().statusCode(200).extract().jsonPath().using(DOUBLES);
        assertThat(jan.getList("moves.findAll { it.from == 'none' && it.to == 'B' }.customers", Integer.class)).containsExactly(2);
        assertThat(jan.getList("moves.findAll { it.to == 'C' }")).isEmpty();
        JsonPath q1 = given().auth().oauth2(analyst).queryParam("dimension", "tier").queryParam("from", "2024-01-01").queryParam("to", "2024-02-01")
                .get("/api/kpis/migrations").then().statusCode(200).extract().jsonPath().using(DOUBLES);
        assertThat(q1.getList("moves.findAll { it.from == 'none' && it.to == 'C' }.customers", Integer.class)).containsExactly(1);
        // health today: buckets 3 (c2, at risk, churn risk), 5 (c3) and 8 (c1)
        JsonPath health = given().auth().oauth2(analyst).get("/api/kpis/health").then().statusCode(200).extract().jsonPath().using(DOUBLES);
        assertThat(health.getList("[-1].buckets", Integer.class)).containsExactly(0, 0, 0, 1, 0, 1, 0, 0, 1, 0);
        assertThat(health.getInt("[-1].atRisk")).isEqualTo(1);
        assertThat(health.getInt("[-1].under40")).isEqualTo(1);
        given().auth().oauth2(analyst).queryParam("dimension", "tier").get("/api/kpis/distribution").then().statusCode(200)
                .body("find { it.value == 'B' }.customers", equalTo(2));

        // c4 merges into c3 (c3's registration is earlier): February has one new customer, referred; c2 is erased: its revenue stays,
        // but it is in no group any more
        send(Topics.PROFILE, c3, EventType.PROFILES_MERGED, new ProfilesMerged(c3, c4, UUID.randomUUID(), at("2024-03-20T10:00:00Z"), "same e-mail"));
        send(Topics.PROFILE, c2, EventType.PROFILE_ERASED, new ProfileErased(c2, at("2024-03-21T10:00:00Z")));
        await().atMost(WAIT).until(() -> "0".equals(TestSql.value("SELECT count(*) FROM customer_dim WHERE customer_id IN (?, ?)", c2, c4)));
        int changedDays = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> rollup.rollUpChanges());
        assertThat(changedDays).isPositive();
        assertSeries("new-customers", "all", "", 2, 1);
        assertThat(point("referral-rate", "all", "", "2024-02-01").getDouble("value")).isCloseTo(100, within(1e-9));
        assertSeries("net-revenue", "all", "", 330, 90, 100);
        assertSeries("net-revenue", "segment", segment.toString(), 130, 30);
        assertSeries("ltv", "segment", segment.toString(), 130, 160, 160);
        // c2's completeness left the average at its erasure (March): (0.9) / 1
        assertThat(point("profile-completeness", "all", "", "2024-03-01").getDouble("value")).isCloseTo(90, within(1e-9));
    }

    @Test
    void badQueriesAreRefusedWithProblems() {
        given().auth().oauth2(analyst).get("/api/kpis/no-such-kpi").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(analyst).queryParam("grain", "year").get("/api/kpis/orders").then().statusCode(400).body("errors[0].field", equalTo("grain"));
        given().auth().oauth2(analyst).queryParam("from", "yesterday").get("/api/kpis/orders").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().auth().oauth2(analyst).queryParam("from", "2024-05-01").queryParam("to", "2024-01-01").get("/api/kpis/orders").then().statusCode(400);
        given().auth().oauth2(analyst).queryParam("grain", "day").queryParam("from", "2020-01-01").queryParam("to", "2024-01-01").get("/api/kpis/orders")
                .then().statusCode(400);
        given().auth().oauth2(analyst).queryParam("dim", "shoe-size").get("/api/kpis/orders").then().statusCode(400);
        given().auth().oauth2(analyst).queryParam("dimension", "mood").get("/api/kpis/migrations").then().statusCode(400);
        given().auth().oauth2(TestTokens.member(c1)).get("/api/kpis/orders").then().statusCode(403);
        given().get("/api/kpis").then().statusCode(401);
        given().auth().oauth2(analyst).get("/api/kpis").then().statusCode(200).body("find { it.name == 'nps' }.unit", equalTo("score"));
    }

    private void assertSeries(String kpi, String dim, String value, double... expected) {
        JsonPath series = given().auth().oauth2(analyst).queryParam("grain", "month").queryParam("from", "2024-01-01")
                .queryParam("to", "2024-0" + expected.length + "-01").queryParam("dim", dim).queryParam("value", value)
                .get("/api/kpis/" + kpi).then().statusCode(200).extract().jsonPath().using(DOUBLES);
        List<Double> values = series.getList("series[0].points.value", Double.class);
        assertThat(values).as(kpi + " " + dim).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(values.get(i)).as(kpi + " " + dim + " month " + (i + 1)).isCloseTo(expected[i], within(1e-9));
        }
    }

    private JsonPath point(String kpi, String dim, String value, String month) {
        JsonPath series = given().auth().oauth2(analyst).queryParam("grain", "month").queryParam("from", month).queryParam("to", month)
                .queryParam("dim", dim).queryParam("value", value).get("/api/kpis/" + kpi).then().statusCode(200).extract().jsonPath().using(DOUBLES);
        return new JsonPath(series.prettify()).using(DOUBLES).setRootPath("series[0].points[0]");
    }

    private static String count(String table, UUID... customers) {
        String in = String.join(", ", java.util.Collections.nCopies(customers.length, "?"));
        return TestSql.value("SELECT count(*) FROM " + table + " WHERE customer_id IN (" + in + ")", (Object[]) customers);
    }

    private void order(UUID customer, String id, String at, String total, String currency) {
        send(Topics.ACTIVITY, customer, EventType.ORDER_PLACED, new OrderPlaced(customer, id + "-" + customer, at(at), new Money(total, currency), "web",
                null, "shop", null));
    }

    private void feedback(UUID customer, String id, String kind, int score, String at) {
        send(Topics.ACTIVITY, customer, EventType.FEEDBACK_SUBMITTED, new FeedbackSubmitted(customer, id, kind, score, null, at(at), "web", "survey"));
    }

    private void sent(UUID customer, UUID message, String channel, String cost) {
        send(Topics.CAMPAIGN, customer, EventType.MESSAGE_SENT, new MessageSent(customer, message, channel, "marketing", template, campaign,
                at("2024-01-10T09:00:00Z"), new Money(cost, "EUR"), pool));
    }

    private void tier(UUID customer, String from, String to, String at) {
        send(Topics.SEGMENTATION, customer, EventType.TIER_CHANGED, new TierChanged(customer, from, to, new BigDecimal("3.5"), at(at), "rfm", 1));
    }

    private void scores(UUID customer, String tier, int health, boolean atRisk, boolean churnRisk) {
        send(Topics.SEGMENTATION, customer, EventType.SCORES_UPDATED, new ScoresUpdated(customer, 3, 3, 3, new BigDecimal("3.0"), tier, "active", 2, 2, 2,
                "retain", health, atRisk, churnRisk, "retention", 1, Instant.now()));
    }


    private static Instant at(String iso) {
        return Instant.parse(iso);
    }
}
