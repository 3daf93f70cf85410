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

    /** A one-event batch placing an order for a known customer. */
    static String order(UUID customerId, String orderId, String amount) {
        return batch(orderEvent("\"customerId\":\"" + customerId + "\"", orderId, amount));
    }

    /** One OrderPlaced item; {@code who} is the JSON member(s) naming the customer. */
    static String orderEvent(String who, String orderId, String amount) {
        return """
                {"eventId":"evt-%s","type":"OrderPlaced",%s,"occurredAt":"2026-11-20T10:15:30Z","source":"pos","channel":"store",
                 "data":{"orderId":"%s","total":{"value":"%s","currency":"EUR"},"store":"S-1",
                 "lines":[{"sku":"SKU-1","category":"shoes","quantity":2,"unitPrice":{"value":"10.00","currency":"EUR"}}]}}
                """.formatted(orderId, who, orderId, amount);
    }

    static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }
}
