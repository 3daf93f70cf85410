package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.infra.Postgres;
import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class CompletenessTest {

    @Test
    void aSchemaChangeRescoresEveryStoredProfileTheSameWayTheApiScoresIt() throws Exception {
        UUID customer = Fixtures.registerCustomer(); // first name, last name and e-mail filled
        BigDecimal before = apiScore(customer);
        assertThat(storedScore(customer)).isEqualByComparingTo(before);

        String attribute = "probe_" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestTokens.bearer("admin")).contentType(ContentType.JSON).body("{\"type\":\"string\"}")
                .put("/api/profiles/attribute-definitions/" + attribute).then().statusCode(200);
        // the declaration queued a recompute; asking for one joins it (or starts another after it)
        String job = given().auth().oauth2(TestTokens.bearer("admin")).post("/api/profiles/completeness/jobs")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/profiles/completeness/jobs/" + job).then().statusCode(200).body("state", equalTo("completed"))
                .body("processed", greaterThan(0)));
        BigDecimal afterDeclaring = apiScore(customer);
        assertThat(afterDeclaring).isLessThan(before); // one more declared attribute, still unfilled
        assertThat(storedScore(customer)).isEqualByComparingTo(afterDeclaring);
        // the rescored profile is announced, so downstream completeness figures follow
        List<ConsumerRecord<String, String>> rescored = KafkaTestClient.read(Topics.PROFILE, r -> customer.toString()
                .equals(r.key()) && r.value().contains("\"changedFields\":[\"completeness\"]"), 1, Duration.ofSeconds(30));
        assertThat(rescored).hasSize(1);
        assertThat(EventSchemas.violations(EventType.PROFILE_UPDATED.type(), rescored.get(0).value())).isEmpty();
        assertThat(new BigDecimal(new com.fasterxml.jackson.databind.ObjectMapper().readTree(rescored.get(0).value())
                .path("completeness").asText())).isEqualByComparingTo(afterDeclaring);

        String etag = given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + customer).then()
                .statusCode(200).extract().header("ETag");
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType("application/merge-patch+json")
                .header("If-Match", etag).body("{\"attributes\":{\"" + attribute + "\":\"x\"},\"region\":\"EU\"}")
                .patch("/api/profiles/" + customer).then().statusCode(200);
        BigDecimal afterFilling = apiScore(customer);
        assertThat(afterFilling).isGreaterThan(afterDeclaring);
        assertThat(storedScore(customer)).isEqualByComparingTo(afterFilling);
    }

    @Test
    void theSummaryIsServedToAnalystsAndExportedAsMetrics() {
        Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/profiles/completeness").then().statusCode(200)
                .body("profiles", greaterThan(0)).body("average", greaterThan(0f));
        given().auth().oauth2(TestTokens.bearer("integrator")).get("/api/profiles/completeness").then().statusCode(403);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).post("/api/profiles/completeness/jobs").then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/completeness/jobs/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("custops_profile_completeness_average"))
                .body(containsString("custops_profile_completeness_share_at_least_80"));
    }

    private static BigDecimal apiScore(UUID customer) {
        return new BigDecimal(given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + customer).then()
                .statusCode(200).extract().path("completeness").toString());
    }

    private static BigDecimal storedScore(UUID customer) throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER,
                Postgres.PASSWORD); PreparedStatement s = c.prepareStatement("SELECT completeness FROM profile WHERE id = ?")) {
            s.setObject(1, customer);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBigDecimal(1);
            }
        }
    }
}
