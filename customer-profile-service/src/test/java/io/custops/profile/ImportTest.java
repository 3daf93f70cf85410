package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class ImportTest {

    private static Response upload(String content, String name, String kind, String format) {
        return given().auth().oauth2(TestTokens.bearer("integrator"))
                .multiPart("file", name, content.getBytes(StandardCharsets.UTF_8), "application/octet-stream")
                .multiPart("kind", kind).multiPart("format", format)
                .post("/api/imports");
    }

    private static void awaitCompleted(String id, int processed, int failed) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("integrator"))
                .get("/api/imports/" + id).then().statusCode(200).body("state", equalTo("completed"))
                .body("processed", equalTo(processed)).body("failed", equalTo(failed)));
    }

    @Test
    void aProfileCsvIsImportedRowByRowWithAnErrorReportAndOnlyOnce() {
        given().auth().oauth2(TestTokens.bearer("admin")).contentType("application/json").body("{\"type\":\"number\"}")
                .put("/api/profiles/attribute-definitions/shoe_size").then().statusCode(200);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String csv = """
                email,crm_id,source,firstName,lastName,gender,attr.shoe_size
                a-%1$s@example.com,CRM-A-%1$s,crm,Ann,"Lee, Jr.",female,38.5
                b-%1$s@example.com,CRM-B-%1$s,crm,Bob,"The ""Builder""\",male,44

                not-an-email,CRM-C-%1$s,crm,Cat,Doe,female,37
                d-%1$s@example.com,,crm,Dan,Roe,robot,41
                e-%1$s@example.com,CRM-E-%1$s,crm,Eve,Poe,female,39
                """.formatted(run);
        Response first = upload(csv, "crm.csv", "profiles", "csv");
        first.then().statusCode(202).body("total", equalTo(5)).header("Location", org.hamcrest.Matchers.containsString("/api/imports/"));
        String id = first.path("id");
        awaitCompleted(id, 3, 2);
        given().auth().oauth2(TestTokens.bearer("integrator")).get("/api/imports/" + id + "/errors").then().statusCode(200)
                .body("", hasSize(2)).body("[0].row", equalTo(3)).body("[1].row", equalTo(4))
                .body("[1].message", org.hamcrest.Matchers.containsString("gender"));
        given().auth().oauth2(TestTokens.bearer("pii-reader")).queryParam("identifier", "crm_id:CRM-B-" + run).get("/api/profiles")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].lastName", equalTo("The \"Builder\""))
                .body("items[0].attributes.shoe_size", equalTo(44)).body("items[0].status", equalTo("registered"))
                .body("items[0].email", equalTo("b-" + run + "@example.com"));
        given().auth().oauth2(TestTokens.bearer("pii-reader")).queryParam("identifier", "email:a-" + run + "@example.com")
                .get("/api/profiles").then().body("items[0].lastName", equalTo("Lee, Jr."));

        // the same file again: the same job, nothing imported twice
        upload(csv, "crm-again.csv", "profiles", "csv").then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void anEventsFileIsIngestedAndAResumedJobImportsNothingTwice() throws SQLException {
        UUID customer = Fixtures.registerCustomer();
        String run = UUID.randomUUID().toString();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            jsonl.append("""
                    {"eventId":"imp-%s-%d","type":"InteractionRecorded","customerId":"%s","occurredAt":"2026-11-20T10:00:00Z","source":"app","data":{"interactionType":"login"}}
                    """.formatted(run, i, customer));
        }
        jsonl.append("{\"eventId\":\"bad\",\"type\":\"InteractionRecorded\"}\n").append("{broken\n");
        String id = upload(jsonl.toString(), "events.jsonl", "events", "jsonl").then().statusCode(202).extract().path("id");
        awaitCompleted(id, 5, 2);
        assertThat(KafkaTestClient.read(Topics.ACTIVITY, r -> customer.toString().equals(r.key()), 6, Duration.ofSeconds(8)))
                .hasSize(5);

        // as if a worker had died after the first chunk: the job resumes from its offset and duplicates nothing
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), "custops", "custops");
                var statement = c.prepareStatement("UPDATE import_job SET state = 'running', processed = 2, failed = 0,"
                        + " byte_offset = (SELECT length(convert_to(?, 'UTF8'))), lease_until = now() - interval '1 second',"
                        + " finished_at = NULL WHERE id = ?")) {
            String firstTwoLines = jsonl.toString().lines().limit(2).map(l -> l + "\n").reduce("", String::concat);
            statement.setString(1, firstTwoLines);
            statement.setObject(2, UUID.fromString(id));
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
        awaitCompleted(id, 5, 2);
        assertThat(KafkaTestClient.read(Topics.ACTIVITY, r -> customer.toString().equals(r.key()), 6, Duration.ofSeconds(8)))
                .hasSize(5);
    }

    @Test
    void aPosExportAsCsvBecomesTypedEventsForCustomersFoundByTheirIdentifiers() {
        UUID customer = Fixtures.registerCustomer();
        String email = given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + customer).then()
                .extract().path("email");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String csv = """
                eventId,type,occurredAt,source,channel,email,data.orderId,data.total.value,data.total.currency,data.store,data.lines
                pos-%1$s-1,OrderPlaced,2026-11-20T10:00:00Z,pos,store,%2$s,O-%1$s-1,59.90,EUR,S-7,"[{""sku"":""SKU-9"",""category"":""shoes"",""quantity"":1,""unitPrice"":{""value"":""59.90"",""currency"":""EUR""}}]"
                pos-%1$s-2,OrderPlaced,2026-11-21T10:00:00Z,pos,store,%2$s,O-%1$s-2,12.00,EUR,S-7,
                pos-%1$s-3,OrderPlaced,2026-11-21T11:00:00Z,pos,store,%2$s,O-%1$s-3,twelve,EUR,S-7,
                pos-%1$s-4,OrderPlaced,2026-11-21T12:00:00Z,pos,store,%2$s,O-%1$s-4,5.00,EUR,S-7,"[{""sku"":"
                """.formatted(run, email);
        String id = upload(csv, "pos.csv", "events", "csv").then().statusCode(202).extract().path("id");
        awaitCompleted(id, 2, 2);
        given().auth().oauth2(TestTokens.bearer("integrator")).get("/api/imports/" + id + "/errors").then().statusCode(200)
                .body("", hasSize(2)).body("[0].row", equalTo(3)).body("[0].message", org.hamcrest.Matchers.containsString("total"))
                .body("[1].row", equalTo(4)).body("[1].message", org.hamcrest.Matchers.containsString("data.lines"));
        List<ConsumerRecord<String, String>> orders = KafkaTestClient.read(Topics.ACTIVITY,
                r -> customer.toString().equals(r.key()), 3, Duration.ofSeconds(30));
        assertThat(orders).hasSize(2);
        assertThat(orders.get(0).value()).contains("\"orderId\":\"O-" + run + "-1\"").contains("\"sku\":\"SKU-9\"")
                .contains("\"store\":\"S-7\"");
        for (ConsumerRecord<String, String> order : orders) {
            assertThat(EventSchemas.violations(EventType.ORDER_PLACED.type(), order.value())).isEmpty();
        }
    }

    @Test
    void importsAreListedNewestFirstPageByPage() {
        String run = UUID.randomUUID().toString();
        String older = upload("{\"identifiers\":[{\"type\":\"email\",\"value\":\"l1-" + run + "@example.com\"}],\"source\":\"crm\"}\n",
                "older.jsonl", "profiles", "jsonl").then().statusCode(202).extract().path("id");
        String newer = upload("{\"identifiers\":[{\"type\":\"email\",\"value\":\"l2-" + run + "@example.com\"}],\"source\":\"crm\"}\n",
                "newer.jsonl", "profiles", "jsonl").then().statusCode(202).extract().path("id");
        given().auth().oauth2(TestTokens.bearer("integrator")).queryParam("limit", 1).get("/api/imports").then()
                .statusCode(200).body("", hasSize(1)).body("[0].id", equalTo(newer)).body("[0].fileName", equalTo("newer.jsonl"));
        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("limit", 1).queryParam("after", newer)
                .get("/api/imports").then().statusCode(200).body("[0].id", equalTo(older));
        awaitCompleted(newer, 1, 0);
        given().auth().oauth2(TestTokens.bearer("integrator")).queryParam("state", "completed").get("/api/imports").then()
                .statusCode(200).body("state", org.hamcrest.Matchers.everyItem(equalTo("completed")));
        given().auth().oauth2(TestTokens.bearer("integrator")).queryParam("state", "lost").get("/api/imports").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/imports").then().statusCode(403);
    }

    @Test
    void badUploadsAreRefused() {
        upload("a,b\n", "x.csv", "events", "xlsx").then().statusCode(400).contentType("application/problem+json");
        upload("a,b\n", "x.csv", "orders", "csv").then().statusCode(400);
        given().auth().oauth2(TestTokens.bearer("integrator")).get("/api/imports/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("marketer")).multiPart("file", "x.csv", "a\n".getBytes(), "text/csv")
                .multiPart("kind", "profiles").multiPart("format", "csv").post("/api/imports").then().statusCode(403);
    }
}
