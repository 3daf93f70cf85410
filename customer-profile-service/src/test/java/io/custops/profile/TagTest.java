package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TagTest {

    @BeforeEach
    void declareTags() {
        for (String[] t : new String[][] { { "interest", "running" }, { "interest", "yoga" }, { "value", "vip" } }) {
            given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("{\"description\":\"d\"}")
                    .put("/api/profiles/tag-groups/" + t[0]).then().statusCode(204);
            given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("{}")
                    .put("/api/profiles/tag-groups/" + t[0] + "/tags/" + t[1]).then().statusCode(204);
        }
    }

    private static List<ConsumerRecord<String, String>> tagEvents(UUID id, int atMost) {
        return KafkaTestClient.read(Topics.PROFILE, r -> id.toString().equals(r.key())
                && EventType.TAGS_CHANGED.type().equals(KafkaTestClient.header(r, "ce_type")), atMost, Duration.ofSeconds(8));
    }

    @Test
    void tagsAreAddedAndRemovedWithOneEventPerRealChange() {
        UUID id = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"interest\",\"tag\":\"running\"},{\"group\":\"value\",\"tag\":\"vip\"}]}")
                .post("/api/profiles/" + id + "/tags").then().statusCode(200).body("", hasSize(2));
        // the same again changes nothing
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"interest\",\"tag\":\"running\"}]}")
                .post("/api/profiles/" + id + "/tags").then().statusCode(200).body("", hasSize(2));
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"remove\":[{\"group\":\"value\",\"tag\":\"vip\"}]}")
                .post("/api/profiles/" + id + "/tags").then().statusCode(200).body("tag", equalTo(List.of("running")));
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id).then()
                .body("tags.tag", equalTo(List.of("running")));

        List<ConsumerRecord<String, String>> events = tagEvents(id, 3);
        assertThat(events).hasSize(2);
        events.forEach(e -> assertThat(EventSchemas.violations(EventType.TAGS_CHANGED.type(), e.value())).isEmpty());
        assertThat(events.get(1).value()).contains("\"removed\":[{\"group\":\"value\",\"tag\":\"vip\"}]");
    }

    @Test
    void bulkTaggingByIdsAndByFilterAndCoverage() {
        UUID a = Fixtures.registerCustomer();
        UUID b = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"interest\",\"tag\":\"yoga\"}],\"customerIds\":[\"" + a + "\",\"" + b + "\",\""
                        + UUID.randomUUID() + "\"]}")
                .post("/api/profiles/tags/bulk").then().statusCode(200)
                .body("customersChanged", equalTo(2)).body("tagsAdded", equalTo(2));
        // by filter: everyone with yoga also gets vip; then search by tag finds them
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"value\",\"tag\":\"vip\"}],\"filter\":{\"tag\":[\"interest:yoga\"]}}")
                .post("/api/profiles/tags/bulk").then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("marketer")).queryParam("tag", "value:vip").queryParam("tag", "interest:yoga")
                .queryParam("limit", 200).get("/api/profiles").then().statusCode(200)
                .body("items.id", hasItem(a.toString())).body("items.id", hasItem(b.toString()));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/profiles/tag-coverage").then().statusCode(200)
                .body("find { it.group == 'interest' }.taggedCustomers", org.hamcrest.Matchers.greaterThanOrEqualTo(2));
    }

    @Test
    void badTagRequestsAreRefused() {
        UUID id = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"interest\",\"tag\":\"chess\"}]}")
                .post("/api/profiles/" + id + "/tags").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"Bad Group\",\"tag\":\"x\"}]}")
                .post("/api/profiles/" + id + "/tags").then().statusCode(400);
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"interest\",\"tag\":\"running\"}]}")
                .post("/api/profiles/" + UUID.randomUUID() + "/tags").then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"interest\",\"tag\":\"running\"}]}")
                .post("/api/profiles/tags/bulk").then().statusCode(400);
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("{}")
                .put("/api/profiles/tag-groups/nope_" + UUID.randomUUID().toString().substring(0, 4) + "/tags/x").then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON)
                .body("{\"add\":[{\"group\":\"interest\",\"tag\":\"running\"}]}")
                .post("/api/profiles/" + id + "/tags").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("member")).get("/api/profiles/tag-groups").then().statusCode(403);
    }
}
