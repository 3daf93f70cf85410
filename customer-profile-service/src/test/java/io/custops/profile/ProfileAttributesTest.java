package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
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
import io.restassured.response.Response;

@QuarkusTest
class ProfileAttributesTest {

    @BeforeEach
    void declareAttributes() {
        declare("loyalty_level", "{\"type\":\"enum\",\"enumValues\":[\"silver\",\"gold\"],\"description\":\"Card level\"}");
        declare("shoe_size", "{\"type\":\"number\"}");
        declare("newsletter", "{\"type\":\"boolean\"}");
        declare("id_number", "{\"type\":\"string\",\"pii\":true}");
    }

    private static void declare(String name, String body) {
        given().auth().oauth2(TestTokens.bearer("admin")).contentType(ContentType.JSON).body(body)
                .put("/api/profiles/attribute-definitions/" + name).then().statusCode(200).body("name", equalTo(name));
    }

    private static Response patch(UUID id, String etag, String body) {
        var request = given().auth().oauth2(TestTokens.bearer("integrator")).contentType("application/merge-patch+json").body(body);
        if (etag != null) {
            request = request.header("If-Match", etag);
        }
        return request.patch("/api/profiles/" + id);
    }

    private static String etag(UUID id) {
        return given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + id).then().statusCode(200)
                .extract().header("ETag");
    }

    @Test
    void patchChangesTypedAttributesWithOptimisticConcurrencyAndPublishesProfileUpdated() {
        UUID id = Fixtures.registerCustomer();
        String etag = etag(id);
        assertThat(etag).isEqualTo("\"0\"");
        patch(id, etag, """
                {"gender":"female","birthday":"1990-04-01","timeZone":"Asia/Shanghai","locale":"zh-CN",
                 "addresses":[{"type":"home","line1":"1 Bund Road","city":"Shanghai","postalCode":"200000","country":"CN"}],
                 "attributes":{"loyalty_level":"gold","shoe_size":38.5,"newsletter":true,"id_number":"110101199004010000"}}""")
                .then().statusCode(200).header("ETag", "\"1\"")
                .body("gender", equalTo("female")).body("timeZone", equalTo("Asia/Shanghai"))
                .body("attributes.loyalty_level", equalTo("gold")).body("attributes.shoe_size", equalTo(38.5f))
                .body("completeness", greaterThan(0.5f));

        // a stale ETag is refused and changes nothing
        patch(id, etag, "{\"firstName\":\"Eve\"}").then().statusCode(412).contentType("application/problem+json");
        patch(id, null, "{\"firstName\":\"Eve\"}").then().statusCode(428).contentType("application/problem+json");

        // masked for a marketer: the address street and the PII attribute
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id).then().statusCode(200)
                .body("addresses[0].line1", equalTo("***")).body("addresses[0].city", equalTo("Shanghai"))
                .body("attributes.id_number", equalTo("***")).body("attributes.loyalty_level", equalTo("gold"));

        // null clears
        patch(id, "\"1\"", "{\"attributes\":{\"newsletter\":null},\"gender\":null}").then().statusCode(200)
                .body("attributes.newsletter", nullValue()).body("gender", nullValue());

        List<ConsumerRecord<String, String>> updates = KafkaTestClient.read(Topics.PROFILE,
                r -> id.toString().equals(r.key()) && EventType.PROFILE_UPDATED.type().equals(KafkaTestClient.header(r, "ce_type")),
                2, Duration.ofSeconds(30));
        assertThat(updates).hasSize(2);
        for (ConsumerRecord<String, String> update : updates) {
            assertThat(EventSchemas.violations(EventType.PROFILE_UPDATED.type(), update.value())).isEmpty();
            assertThat(update.value()).doesNotContain("Shanghai").doesNotContain("110101");
        }
        assertThat(updates.get(0).value()).contains("attributes.loyalty_level").contains("birthday");
    }

    @Test
    void undeclaredOrMistypedAttributesAreRefusedAndNothingChanges() {
        UUID id = Fixtures.registerCustomer();
        patch(id, "\"0\"", """
                {"firstName":"Zed","gender":"robot","birthday":"2999-01-01","timeZone":"Mars/Olympus","email":"x@y.z",
                 "attributes":{"favourite_colour":"red","shoe_size":"big","loyalty_level":"platinum","newsletter":"yes"},
                 "addresses":[{"line1":"","city":"X","country":"China"}]}""")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("gender", "birthday", "timeZone", "email", "attributes.favourite_colour",
                        "attributes.shoe_size", "attributes.loyalty_level", "attributes.newsletter"))
                .body("errors.field", hasItem(org.hamcrest.Matchers.startsWith("addresses[0].")));
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + id).then()
                .body("firstName", equalTo("Ada")).header("ETag", "\"0\"");
    }

    @Test
    void templateLookingValuesAreStoredAndReturnedAsInertData() {
        UUID id = Fixtures.registerCustomer();
        String evil = "${7*7} #{T(java.lang.Runtime).getRuntime()} script::alert(1) <script>alert(1)</script>";
        patch(id, "\"0\"", "{\"firstName\":\"" + evil.replace("\"", "\\\"") + "\"}").then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + id).then()
                .body("firstName", equalTo(evil));
    }

    @Test
    void searchFiltersByIdentifierAndTypedAttributesWithKeysetPages() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<UUID> gold = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = Fixtures.registerCustomer();
            patch(id, "\"0\"", "{\"attributes\":{\"loyalty_level\":\"gold\",\"shoe_size\":" + (40 + i) + "}}").then().statusCode(200);
            gold.add(id);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(TestTokens.bearer("marketer")).queryParam("attribute", "loyalty_level:gold")
                    .queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.get("/api/profiles");
            page.then().statusCode(200).body("items.size()", org.hamcrest.Matchers.lessThanOrEqualTo(2));
            seen.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().containsAll(gold.stream().map(UUID::toString).toList());

        given().auth().oauth2(TestTokens.bearer("marketer")).queryParam("attribute", "shoe_size:42")
                .queryParam("attribute", "loyalty_level:gold").get("/api/profiles").then().statusCode(200)
                .body("items.id", hasItem(gold.get(2).toString()))
                .body("items.id", org.hamcrest.Matchers.not(hasItem(gold.get(1).toString())));

        String email = given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + gold.get(0))
                .then().extract().path("email");
        given().auth().oauth2(TestTokens.bearer("marketer")).queryParam("identifier", "email:" + email.toUpperCase())
                .get("/api/profiles").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(gold.get(0).toString()))
                .body("items[0].email", org.hamcrest.Matchers.startsWith("c***@"));

        given().auth().oauth2(TestTokens.bearer("marketer")).queryParam("attribute", "nope:1").queryParam("limit", 0)
                .queryParam("cursor", "garbage!").get("/api/profiles").then().statusCode(400)
                .body("errors.field", hasItems("attribute", "limit", "cursor"));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/profiles").then().statusCode(403);
        assertThat(run).isNotEmpty();
    }

    @Test
    void theAttributeSchemaProtectsAttributesInUse() {
        String name = "tier_" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        declare(name, "{\"type\":\"enum\",\"enumValues\":[\"a\",\"b\"]}");
        UUID id = Fixtures.registerCustomer();
        patch(id, "\"0\"", "{\"attributes\":{\"" + name + "\":\"a\"}}").then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("admin")).contentType(ContentType.JSON).body("{\"type\":\"string\"}")
                .put("/api/profiles/attribute-definitions/" + name).then().statusCode(409);
        given().auth().oauth2(TestTokens.bearer("admin")).contentType(ContentType.JSON).body("{\"type\":\"enum\",\"enumValues\":[\"b\"]}")
                .put("/api/profiles/attribute-definitions/" + name).then().statusCode(409);
        given().auth().oauth2(TestTokens.bearer("admin")).delete("/api/profiles/attribute-definitions/" + name).then().statusCode(409);
        given().auth().oauth2(TestTokens.bearer("admin")).contentType(ContentType.JSON).body("{\"type\":\"enum\",\"enumValues\":[\"a\",\"b\",\"c\"]}")
                .put("/api/profiles/attribute-definitions/" + name).then().statusCode(200).body("enumValues", contains("a", "b", "c"));
        given().auth().oauth2(TestTokens.bearer("admin")).contentType(ContentType.JSON).body("{\"type\":\"colour\"}")
                .put("/api/profiles/attribute-definitions/x_" + name).then().statusCode(400);
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("{\"type\":\"string\"}")
                .put("/api/profiles/attribute-definitions/x_" + name).then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/attribute-definitions").then().statusCode(200)
                .body("name", hasItem(name)).body("find { it.name == 'id_number' }.pii", equalTo(true))
                .body("size()", greaterThan(3)).body("[0].type", notNullValue());
    }
}
