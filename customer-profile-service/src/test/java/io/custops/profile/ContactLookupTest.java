package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The bulk contact lookup campaign-service makes at send time. */
@QuarkusTest
class ContactLookupTest {
    private final String service = TestTokens.bearer("service");

    @Test
    void aServiceGetsUnmaskedAddressesForKnownCustomersAndEachLookupIsAudited() {
        String email = "Contact-" + UUID.randomUUID() + "@Example.com";
        String id = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body("""
                {"identifiers":[{"type":"email","value":"%s"},{"type":"phone","value":"+86 138 0013 8000"},
                 {"type":"device_id","value":"dev-%s"}],"firstName":"Lin","lastName":"Wei","locale":"zh-CN","source":"app"}
                """.formatted(email, UUID.randomUUID())).post("/api/profiles").then().statusCode(201).extract().path("id");
        UUID unknown = UUID.randomUUID();

        given().auth().oauth2(service).contentType(ContentType.JSON)
                .body("{\"customerIds\":[\"" + id + "\",\"" + unknown + "\",\"" + id + "\"]}")
                .post("/api/profiles/contacts").then().statusCode(200)
                .body("contacts", hasSize(1))
                .body("contacts[0].customerId", equalTo(id))
                .body("contacts[0].email", equalTo(email.toLowerCase()))
                .body("contacts[0].phone", equalTo("+8613800138000"))
                .body("contacts[0].deviceId", org.hamcrest.Matchers.startsWith("dev-"))
                .body("contacts[0].firstName", equalTo("Lin"))
                .body("contacts[0].locale", equalTo("zh-CN"))
                .body("unknown", contains(unknown.toString()));

        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("customerId", id).queryParam("action", "contact.read")
                .get("/api/profiles/audit-log").then().statusCode(200).body("", hasSize(1))
                .body("[0].actor", equalTo("service-user"));
    }

    @Test
    void onlyServicesAndAdminsMayLookUpAndTheBatchIsBounded() {
        String body = "{\"customerIds\":[\"" + UUID.randomUUID() + "\"]}";
        for (String role : new String[] { "marketer", "analyst", "integrator", "pii-reader", "member" }) {
            given().auth().oauth2(TestTokens.bearer(role)).contentType(ContentType.JSON).body(body)
                    .post("/api/profiles/contacts").then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body(body).post("/api/profiles/contacts").then().statusCode(401);
        given().auth().oauth2(service).contentType(ContentType.JSON).body("{\"customerIds\":[]}")
                .post("/api/profiles/contacts").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("customerIds"));
        given().auth().oauth2(service).contentType(ContentType.JSON).body("{\"customerIds\":[\"not-a-uuid\"]}")
                .post("/api/profiles/contacts").then().statusCode(400).contentType("application/problem+json");
    }
}
