package io.custops.profile;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.custops.local.testing.TestTokens;
import io.restassured.http.ContentType;

final class Fixtures {
    private Fixtures() {
    }

    /** Registers a customer with a unique e-mail through the API, as an integrator; returns the customer id. */
    static UUID registerCustomer() {
        String email = "c-" + UUID.randomUUID() + "@example.com";
        String id = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("""
                        {"identifiers":[{"type":"email","value":"%s"}],"firstName":"Ada","lastName":"Lovelace","source":"crm"}
                        """.formatted(email))
                .post("/api/profiles").then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    static String order(UUID customerId, String orderId, String amount) {
        return """
                {"type":"OrderPlaced","customerId":"%s","orderId":"%s","placedAt":"2026-11-20T10:15:30Z",
                 "amount":{"value":"%s","currency":"EUR"},"source":"pos","channel":"store",
                 "items":[{"sku":"SKU-1","quantity":2,"unitPrice":{"value":"10.00","currency":"EUR"}}]}
                """.formatted(customerId, orderId, amount);
    }
}
