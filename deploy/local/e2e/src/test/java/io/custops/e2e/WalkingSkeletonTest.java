package io.custops.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.custops.local.LocalStack;
import io.custops.local.infra.Keycloak;
import io.restassured.http.ContentType;

/**
 * The walking skeleton of issue 2 over the real stack: Keycloak tokens, the gateway on :8080, five services,
 * a KRaft broker and PostgreSQL, started by the same code as {@code ./custops up}.
 */
@ExtendWith(SharedStack.class)
class WalkingSkeletonTest {
    private static final String GATEWAY = "http://localhost:" + LocalStack.GATEWAY_PORT;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static LocalStack stack;

    @BeforeAll
    static void up() {
        stack = SharedStack.stack(); // started once for every end-to-end class, stopped after the last
    }

    @Test
    void registerThenOrderMovesTheCustomerThroughEveryServiceBehindTheGateway() {
        Keycloak keycloak = stack.keycloak();
        String integrator = keycloak.clientCredentialsToken("custops-integrator", "integrator-secret");
        String analyst = keycloak.passwordToken("analyst", "analyst");

        String id = given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("""
                        {"identifiers":[{"type":"email","value":"e2e-%s@example.com"}],"firstName":"Ada","source":"api"}"""
                        .formatted(UUID.randomUUID()))
                .post(GATEWAY + "/api/profiles").then().statusCode(201).extract().path("id");
        UUID customer = UUID.fromString(id);

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(analyst).get(GATEWAY + "/api/scores/" + id)
                .then().statusCode(200).body("lifecycleStage", equalTo("acquisition")));

        // the loyalty programme earns a point per euro (a second run of this test finds the rule there already)
        given().auth().oauth2(keycloak.passwordToken("community", "community")).contentType(ContentType.JSON)
                .body("{\"name\":\"E2E point per euro\",\"kind\":\"order\",\"currency\":\"EUR\",\"pointsPerUnit\":1}")
                .post(GATEWAY + "/api/loyalty/earn-rules").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));

        String placed = java.time.Instant.now().minus(java.time.Duration.ofDays(3))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("""
                        {"events":[{"eventId":"%1$s","type":"OrderPlaced","customerId":"%2$s","occurredAt":"%3$s",
                         "source":"pos","data":{"orderId":"%1$s","total":{"value":"129.90","currency":"EUR"}}}]}"""
                        .formatted("E2E-" + UUID.randomUUID(), id, placed))
                .post(GATEWAY + "/api/events").then().statusCode(200).body("accepted", equalTo(1));

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(analyst).get(GATEWAY + "/api/scores/" + id)
                .then().statusCode(200).body("lifecycleStage", equalTo("conversion")).body("rollup.orderCount", equalTo(1))
                .body("rollup.lastOrderAt", equalTo(placed))
                // the value level and tier depend on everyone else in the database: only their explanation is certain
                .body("explanation.score", org.hamcrest.Matchers.hasItems("valueLevel", "health", "lifecycleStage")));

        // campaign-service knows the customer (no PII: its locale and registration) from the profile events
        await().atMost(WAIT).untilAsserted(() -> assertThat(StackSql.count("custops_campaign",
                "SELECT count(*) FROM audience_customer WHERE customer_id = ?", customer)).isEqualTo(1L));
        // community-service credited the order's points, pending until its refund window closes
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(analyst).get(GATEWAY + "/api/loyalty/customers/" + id + "/points")
                .then().statusCode(200).body("pending", org.hamcrest.Matchers.greaterThanOrEqualTo(129)).body("available", equalTo(0)));
        // evaluation-service keeps the order for its experiment outcomes, once
        await().atMost(WAIT).untilAsserted(() -> assertThat(StackSql.count("custops_evaluation",
                "SELECT count(*) FROM order_fact WHERE customer_id = ?", customer)).isEqualTo(1L));
    }

    @Test
    void aMarketingEmailGoesFromTemplateToInboxWithTheServiceClientsTokenAndItsUnsubscribeLinkWorks() throws Exception {
        Keycloak keycloak = stack.keycloak();
        String integrator = keycloak.clientCredentialsToken("custops-integrator", "integrator-secret");
        String marketer = keycloak.passwordToken("marketer", "marketer");
        String email = "e2e-mail-" + UUID.randomUUID() + "@example.com";
        String id = given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"email\",\"value\":\"" + email + "\"}],\"firstName\":\"Grace\",\"source\":\"api\"}")
                .post(GATEWAY + "/api/profiles").then().statusCode(201).extract().path("id");
        UUID customer = UUID.fromString(id);
        // a time zone where it is midday, so quiet hours never hold the e-mail back whenever this runs
        int offset = Math.floorMod(12 - java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour() + 12, 24) - 12;
        String zone = offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
        String etag = given().auth().oauth2(integrator).get(GATEWAY + "/api/profiles/" + id).then().statusCode(200)
                .extract().header("ETag");
        given().auth().oauth2(integrator).contentType("application/merge-patch+json").header("If-Match", etag)
                .body("{\"timeZone\":\"" + zone + "\"}").patch(GATEWAY + "/api/profiles/" + id).then().statusCode(200);
        given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("{\"consents\":[{\"channel\":\"email\",\"purpose\":\"marketing\",\"status\":\"granted\"}]}")
                .put(GATEWAY + "/api/profiles/" + id + "/consents").then().statusCode(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(StackSql.count("custops_campaign",
                "SELECT count(*) FROM consent WHERE customer_id = ? AND status = 'granted'", customer)).isEqualTo(1L));

        String template = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"e2e-%s","channel":"email","category":"marketing","defaultLocale":"en","contents":{"en":{
                 "subject":"Hello {customer.firstName}","body":"<p>New for you</p><a href=\\"{links.unsubscribe}\\">Unsubscribe</a>"}}}"""
                .formatted(UUID.randomUUID())).post(GATEWAY + "/api/templates").then().statusCode(201).extract().path("id");
        String message = given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"customerId\":\"" + id + "\",\"templateId\":\"" + template + "\"}")
                .post(GATEWAY + "/api/campaigns/messages").then().statusCode(202).extract().path("id");
        // the contact address comes from the profile service, fetched with the service client's Keycloak token
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketer).get(GATEWAY + "/api/campaigns/messages/" + message)
                .then().statusCode(200).body("status", equalTo("sent")));

        jakarta.mail.Store store = jakarta.mail.Session.getInstance(new java.util.Properties()).getStore("imap");
        store.connect("127.0.0.1", io.custops.local.infra.LocalMail.IMAP_PORT, email, email);
        jakarta.mail.Folder inbox = store.getFolder("INBOX");
        inbox.open(jakarta.mail.Folder.READ_ONLY);
        assertThat(inbox.getMessageCount()).isEqualTo(1);
        jakarta.mail.Message mail = inbox.getMessage(1);
        assertThat(mail.getSubject()).isEqualTo("Hello Grace");
        String body = String.valueOf(mail.getContent());
        inbox.close(false);
        store.close();
        String unsubscribe = body.substring(body.indexOf(GATEWAY + "/t/u/"), body.indexOf('"', body.indexOf(GATEWAY + "/t/u/")));
        given().post(unsubscribe).then().statusCode(200);
        assertThat(StackSql.count("custops_campaign", "SELECT count(*) FROM consent WHERE customer_id = ? AND status = 'withdrawn'"
                + " AND source = 'unsubscribe-link'", customer)).isEqualTo(1L);
        // and the profile, the record of consent, hears it through Unsubscribed
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(integrator).get(GATEWAY + "/api/profiles/" + id + "/consents")
                .then().statusCode(200).body("find { it.channel == 'email' && it.purpose == 'marketing' }.status", equalTo("withdrawn"))
                .body("find { it.channel == 'email' && it.purpose == 'marketing' }.source", equalTo("unsubscribe-link")));
    }

    @Test
    void aJourneyWaitSurvivesARestartOfCampaignServiceAndItsMessageGoesOutExactlyOnce() throws Exception {
        Keycloak keycloak = stack.keycloak();
        String integrator = keycloak.clientCredentialsToken("custops-integrator", "integrator-secret");
        String marketer = keycloak.passwordToken("marketer", "marketer");
        String template = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"restart-%s","channel":"email","category":"transactional","defaultLocale":"en","contents":{"en":{
                 "subject":"Welcome {customer.firstName}","body":"<p>Glad you are here</p>"}}}""".formatted(UUID.randomUUID()))
                .post(GATEWAY + "/api/templates").then().statusCode(201).extract().path("id");
        String journey = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"restart-%s","definition":{"trigger":{"event":"ProfileRegistered"},"steps":[
                  {"id":"hold","type":"wait","duration":"PT40S"},{"id":"welcome","type":"send","templateId":"%s"}]}}"""
                .formatted(UUID.randomUUID(), template)).post(GATEWAY + "/api/journeys").then().statusCode(201).extract().path("id");
        given().auth().oauth2(marketer).post(GATEWAY + "/api/journeys/" + journey + "/activate").then().statusCode(200);
        try {
            String email = "e2e-restart-" + UUID.randomUUID() + "@example.com";
            String id = given().auth().oauth2(integrator).contentType(ContentType.JSON)
                    .body("{\"identifiers\":[{\"type\":\"email\",\"value\":\"" + email + "\"}],\"firstName\":\"Lin\",\"source\":\"api\"}")
                    .post(GATEWAY + "/api/profiles").then().statusCode(201).extract().path("id");
            given().auth().oauth2(integrator).contentType(ContentType.JSON)
                    .body("{\"consents\":[{\"channel\":\"email\",\"purpose\":\"service\",\"status\":\"granted\"}]}")
                    .put(GATEWAY + "/api/profiles/" + id + "/consents").then().statusCode(200);
            UUID customer = UUID.fromString(id);
            await().atMost(WAIT).untilAsserted(() -> assertThat(StackSql.count("custops_campaign",
                    "SELECT count(*) FROM journey_instance WHERE customer_id = ? AND step_id = 'welcome' AND due_at > now()", customer))
                    .isEqualTo(1L));

            stack.restart("campaign-service"); // the customer is waiting: the timer is a row, not memory

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(inbox(email)).isEqualTo(1));
            assertThat(StackSql.count("custops_campaign", "SELECT count(*) FROM message WHERE customer_id = ? AND status = 'sent'", customer))
                    .isEqualTo(1L);
        } finally {
            given().auth().oauth2(marketer).post(GATEWAY + "/api/journeys/" + journey + "/archive");
        }
    }

    /** How many e-mails the address's inbox on the local mail server holds. */
    private static int inbox(String address) throws Exception {
        jakarta.mail.Store store = jakarta.mail.Session.getInstance(new java.util.Properties()).getStore("imap");
        try {
            store.connect("127.0.0.1", io.custops.local.infra.LocalMail.IMAP_PORT, address, address);
        } catch (jakarta.mail.AuthenticationFailedException noMailYet) {
            return 0;
        }
        jakarta.mail.Folder folder = store.getFolder("INBOX");
        folder.open(jakarta.mail.Folder.READ_ONLY);
        int count = folder.getMessageCount();
        folder.close(false);
        store.close();
        return count;
    }

    @Test
    void theGatewayPassesAuthenticationAndRoleFailuresThrough() {
        Keycloak keycloak = stack.keycloak();
        given().get(GATEWAY + "/api/scores/" + UUID.randomUUID()).then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(keycloak.passwordToken("marketer", "marketer")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"crm_id\",\"value\":\"X\"}],\"source\":\"crm\"}")
                .post(GATEWAY + "/api/profiles").then().statusCode(403);
        // the demo member is bound to customer 00000000-0000-4000-8000-000000000001 and sees no one else
        String member = keycloak.passwordToken("member", "member");
        given().auth().oauth2(member).get(GATEWAY + "/api/profiles/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(member).get(GATEWAY + "/api/loyalty/me/points").then().statusCode(200)
                .body("customerId", equalTo("00000000-0000-4000-8000-000000000001"));
        given().auth().oauth2(member).get(GATEWAY + "/api/loyalty/customers/" + UUID.randomUUID() + "/points").then().statusCode(404);
        given().auth().oauth2(member).get(GATEWAY + "/api/referrals/me").then().statusCode(200).body("code", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(member).contentType(ContentType.JSON).body("{\"name\":\"Mine\",\"kind\":\"lifestyle\"}")
                .post(GATEWAY + "/api/communities").then().statusCode(403);
        given().get(GATEWAY + "/api/unknown").then().statusCode(404).contentType("application/problem+json");
    }
}
