package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ProfileApiTest {

    @Test
    void registersWithNormalisedIdentifiersAndMasksPiiForMarketers() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String id = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("""
                        {"identifiers":[{"type":"email","value":"  Grace.%s@Example.COM "},{"type":"phone","value":"+49 (30) 1234-%s"}],
                         "firstName":"Grace","lastName":"Hopper","source":"crm","locale":"de-DE","region":"BE"}
                        """.formatted(suffix, suffix.replaceAll("[^0-9]", "5").substring(0, 4)))
                .post("/api/profiles")
                .then().statusCode(201).header("Location", containsString("/api/profiles/"))
                .extract().path("id");

        given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + id)
                .then().statusCode(200)
                .body("firstName", equalTo("Grace"))
                .body("identifiers.value", hasItem("grace." + suffix + "@example.com"))
                .body("locale", equalTo("de-DE"));

        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id)
                .then().statusCode(200)
                .body("firstName", equalTo("G***"))
                .body("lastName", equalTo("H***"))
                .body("identifiers.find { it.type == 'email' }.value", equalTo("g***@example.com"))
                .body("identifiers.find { it.type == 'phone' }.value", startsWith("+49****"));
    }

    @Test
    void invalidInputIs400NamingTheFields() {
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("""
                        {"identifiers":[],"source":""}""")
                .post("/api/profiles")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("identifiers"))
                .body("errors.field", hasItem("source"));

        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("""
                        {"identifiers":[{"type":"fax","value":"1"},{"type":"email","value":"nope"},{"type":"phone","value":"12"}],"source":"crm"}""")
                .post("/api/profiles")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("identifiers[0].type"))
                .body("errors.field", hasItem("identifiers[1].value"))
                .body("errors.field", hasItem("identifiers[2].value"));

        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{not json").post("/api/profiles")
                .then().statusCode(400).contentType("application/problem+json");

        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/not-a-uuid")
                .then().statusCode(404);
    }

    @Test
    void anIdentifierBelongsToOneCustomer() {
        String body = """
                {"identifiers":[{"type":"member_card","value":"MC-%s"}],"source":"pos"}""".formatted(UUID.randomUUID());
        String first = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(body)
                .post("/api/profiles").then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(body)
                .post("/api/profiles").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(first));
    }

    @Test
    void aMemberReadsOnlyTheirOwnProfileUnmasked() {
        UUID mine = Fixtures.registerCustomer();
        UUID other = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.member(mine)).get("/api/profiles/" + mine)
                .then().statusCode(200).body("firstName", equalTo("Ada"));
        given().auth().oauth2(TestTokens.member(mine)).get("/api/profiles/" + other)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.withRoles("member").sign()).get("/api/profiles/" + mine)
                .then().statusCode(404);
    }

    @Test
    void unknownCustomerIs404() {
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }
}
