package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class SecurityTest {
    private static final String BODY = """
            {"identifiers":[{"type":"crm_id","value":"CRM-SEC-1"}],"source":"crm"}""";

    @Test
    void noTokenIs401WithAProblemBody() {
        given().contentType(ContentType.JSON).body(BODY).post("/api/profiles")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer")).body("status", equalTo(401));
        given().get("/api/profiles/" + UUID.randomUUID()).then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/api/events").then().statusCode(401);
    }

    @Test
    void expiredTokenIs401() {
        assertRejected(TestTokens.withRoles("integrator").expiresIn(Duration.ofMinutes(-10)).sign());
    }

    @Test
    void tokenFromAnotherIssuerIs401() {
        assertRejected(TestTokens.withRoles("integrator").issuer("https://evil.example.com/realms/custops").sign());
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        assertRejected(TestTokens.withRoles("integrator").audience("some-other-api").sign());
    }

    @Test
    void forgedSignatureIs401() {
        assertRejected(TestTokens.withRoles("integrator").signedWithForeignKey().sign());
    }

    @Test
    void garbageTokenIs401() {
        assertRejected("not.a.jwt");
    }

    @Test
    void wrongRoleIs403WithAProblemBody() {
        for (String role : new String[] { "analyst", "marketer", "member", "community-manager" }) {
            given().auth().oauth2(TestTokens.bearer(role)).contentType(ContentType.JSON).body(BODY)
                    .post("/api/profiles").then().statusCode(403).contentType("application/problem+json")
                    .body("title", equalTo("Forbidden"));
        }
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body(Fixtures.order(UUID.randomUUID(), "O-1", "1.00")).post("/api/events").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/profiles/" + UUID.randomUUID()).then().statusCode(403);
    }

    @Test
    void operationsEndpointsAreOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("custops_outbox_published"));
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/api/profiles"));
    }

    private static void assertRejected(String token) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(BODY).post("/api/profiles")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
