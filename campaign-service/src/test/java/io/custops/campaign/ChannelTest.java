package io.custops.campaign;

import static io.custops.campaign.Fixtures.awaitStatus;
import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.custops.campaign.Fixtures.sent;
import static io.custops.campaign.Fixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.quarkus.test.junit.QuarkusTest;

/** HTTP provider channels: delivery, retries with backoff, permanent failures, missing addresses. */
@QuarkusTest
class ChannelTest {
    private static final String NOON = SafeguardTest.zoneWhereItIsNow(12);

    @Test
    void anSmsReachesTheProviderRenderedWithATrackedLinkAfterTransientFailures() {
        UUID customer = customer(NOON);
        grant(customer, "sms", "marketing");
        String template = template("sms", "marketing", null, "Hi {customer.firstName}: {data.coupon} at https://shop.example.com/s");
        Fixtures.failNext("sms", 503, 2);
        String message = sent(customer, template, "sms-1");
        JsonNode view = awaitStatus(message, "sent");
        assertThat(view.path("attempts").asInt()).isEqualTo(3);
        JsonNode sms = null;
        for (JsonNode received : Fixtures.received("sms")) {
            if (received.path("messageId").asText().equals(message)) {
                sms = received;
            }
        }
        assertThat(sms).isNotNull();
        assertThat(sms.path("to").asText()).startsWith("+8613800");
        assertThat(sms.path("body").asText()).startsWith("Hi Ada: WELCOME10 at http").contains("/t/c/" + message + "/")
                .doesNotContain(" https://shop.example.com/s");
    }

    @Test
    void aWechatMessageNamesTheCustomersLastOrder() {
        UUID customer = UUID.randomUUID();
        String body = """
                {"customerId":"%s","email":null,"phone":null,"deviceId":null,"wechatOpenId":"openid-%s","firstName":"Wei","lastName":null,
                 "locale":"zh-CN","timeZone":"%s"}""".formatted(customer, customer, NOON);
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    System.getProperty(DeliveryTestInfra.STUB_URL) + "/control/contacts/" + customer))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        grant(customer, "wechat", "service");
        Fixtures.order(customer, "WX-42", "88.00");
        org.awaitility.Awaitility.await().atMost(Fixtures.WAIT).until(() -> "1".equals(Fixtures.sql(
                "SELECT count(*) FROM customer_order WHERE customer_id = ?", customer)));
        String template = template("wechat", "transactional", null, "{customer.firstName}，您的订单 {customer.lastOrder.id ?: '-'} 已发货");
        String message = sent(customer, template, "wx-1");
        awaitStatus(message, "sent");
        JsonNode wechat = null;
        for (JsonNode received : Fixtures.received("wechat")) {
            if (received.path("messageId").asText().equals(message)) {
                wechat = received;
            }
        }
        assertThat(wechat).isNotNull();
        assertThat(wechat.path("to").asText()).isEqualTo("openid-" + customer);
        assertThat(wechat.path("body").asText()).isEqualTo("Wei，您的订单 WX-42 已发货");
    }

    @Test
    void aPermanentProviderRefusalFailsTheMessageAndIsAnnounced() {
        UUID customer = customer(NOON);
        grant(customer, "sms", "service");
        String template = template("sms", "transactional", null, "Your code is {data.coupon}");
        Fixtures.failNext("sms", 400, 1);
        String message = sent(customer, template, "sms-2");
        JsonNode view = awaitStatus(message, "failed");
        assertThat(view.path("reason").asText()).contains("400");
        List<ConsumerRecord<String, String>> failed = Fixtures.events(EventType.MESSAGE_FAILED, customer, 1);
        assertThat(failed).hasSize(1);
        assertThat(EventSchemas.violations(EventType.MESSAGE_FAILED.type(), failed.get(0).value())).isEmpty();
    }

    @Test
    void aCustomerWithoutAnAddressOnTheChannelIsSuppressed() {
        UUID customer = UUID.randomUUID();
        Fixtures.contact(customer, "only-mail-" + customer + "@example.com", null, null, NOON, "en");
        grant(customer, "sms", "marketing");
        String template = template("sms", "marketing", null, "Hello");
        assertThat(awaitStatus(sent(customer, template, "sms-3"), "suppressed").path("reason").asText()).isEqualTo("no-address");
        UUID unknown = UUID.randomUUID(); // the profile service does not know this id (erased there, or never registered)
        grant(unknown, "sms", "marketing");
        assertThat(awaitStatus(sent(unknown, template, "sms-4"), "suppressed").path("reason").asText()).isEqualTo("no-address");
    }

    @Test
    void aMissingValueTheTemplateNeedsFailsTheMessageWithTheReason() {
        UUID customer = customer(NOON);
        grant(customer, "push", "service");
        Fixtures.contact(customer, null, null, "device-1", NOON, "en");
        String template = template("push", "transactional", "Order", "Track {data.trackingCode}");
        JsonNode view = awaitStatus(sent(customer, template, "push-1"), "failed");
        assertThat(view.path("reason").asText()).contains("trackingCode");
    }

    @Test
    void signedProviderReceiptsMarkMessagesDeliveredOrBouncedOnce() throws Exception {
        UUID customer = customer(NOON);
        grant(customer, "sms", "service");
        String template = template("sms", "transactional", null, "Code {data.coupon}");
        String delivered = sent(customer, template, "rc-1");
        String bounced = sent(customer, template, "rc-2");
        awaitStatus(delivered, "sent");
        awaitStatus(bounced, "sent");
        String body = """
                {"receipts":[{"messageId":"%s","status":"delivered","at":"%s"},{"messageId":"%s","status":"failed","error":"handset unreachable"},
                 {"messageId":"%s","status":"delivered"}]}""".formatted(delivered, java.time.Instant.now(), bounced, UUID.randomUUID());
        receipt("sms", body, "sha256=" + hmac(ProviderStub.PROVIDER_TOKEN, body)).statusCode(200)
                .body("applied", org.hamcrest.Matchers.equalTo(2)).body("ignored", org.hamcrest.Matchers.equalTo(1));
        receipt("sms", body, "sha256=" + hmac(ProviderStub.PROVIDER_TOKEN, body)).statusCode(200)
                .body("applied", org.hamcrest.Matchers.equalTo(0));
        assertThat(Fixtures.message(delivered).path("status").asText()).isEqualTo("sent");
        assertThat(Fixtures.sql("SELECT delivered_at IS NOT NULL FROM message WHERE id = ?", UUID.fromString(delivered))).isEqualTo("t");
        assertThat(Fixtures.message(bounced).path("status").asText()).isEqualTo("failed");
        assertThat(Fixtures.message(bounced).path("reason").asText()).isEqualTo("provider: handset unreachable");
        ConsumerRecord<String, String> event = Fixtures.exactlyOne(EventType.MESSAGE_DELIVERED, customer);
        assertThat(EventSchemas.violations(EventType.MESSAGE_DELIVERED.type(), event.value())).isEmpty();

        receipt("sms", body, "sha256=" + hmac("someone-else", body)).statusCode(401).contentType("application/problem+json");
        receipt("sms", body, null).statusCode(401);
        receipt("email", body, "sha256=" + hmac(ProviderStub.PROVIDER_TOKEN, body)).statusCode(200) // sms messages: not e-mail's
                .body("applied", org.hamcrest.Matchers.equalTo(0)).body("ignored", org.hamcrest.Matchers.equalTo(3));
        receipt("fax", body, "sha256=" + hmac(ProviderStub.PROVIDER_TOKEN, body)).statusCode(404);
        String bad = "{\"receipts\":[{\"messageId\":\"nope\",\"status\":\"lost\"}]}";
        receipt("sms", bad, "sha256=" + hmac(ProviderStub.PROVIDER_TOKEN, bad)).statusCode(400);
    }

    @Test
    void theEmailProvidersWebhookReportsDeliveriesBouncesAndSpamComplaints() throws Exception {
        UUID customer = customer(NOON);
        grant(customer, "email", "marketing");
        String template = template("email", "marketing", "News", "<p>News for {customer.firstName}</p>");
        String delivered = sent(customer, template, "em-1");
        String bounced = sent(customer, template, "em-2");
        awaitStatus(delivered, "sent");
        awaitStatus(bounced, "sent");
        String body = """
                {"receipts":[{"messageId":"%s","status":"delivered"},{"messageId":"%s","status":"failed","error":"550 5.1.1 mailbox unknown"},
                 {"messageId":"%s","status":"complained"},{"messageId":"%s","status":"complained"}]}"""
                .formatted(delivered, bounced, delivered, UUID.randomUUID());
        receipt("email", body, "sha256=" + hmac(ProviderStub.PROVIDER_TOKEN, body)).statusCode(200)
                .body("applied", org.hamcrest.Matchers.equalTo(3)).body("ignored", org.hamcrest.Matchers.equalTo(1));
        receipt("email", body, "sha256=" + hmac(ProviderStub.PROVIDER_TOKEN, body)).statusCode(200)
                .body("applied", org.hamcrest.Matchers.equalTo(0)).body("ignored", org.hamcrest.Matchers.equalTo(4));
        assertThat(Fixtures.sql("SELECT delivered_at IS NOT NULL FROM message WHERE id = ?", UUID.fromString(delivered))).isEqualTo("t");
        assertThat(Fixtures.message(bounced).path("reason").asText()).isEqualTo("provider: 550 5.1.1 mailbox unknown");
        assertThat(Fixtures.message(bounced).path("status").asText()).isEqualTo("failed");
        assertThat(Fixtures.exactlyOne(EventType.MESSAGE_DELIVERED, customer).value()).contains(delivered);

        // the spam complaint withdrew marketing consent on e-mail, announced once, so the next newsletter is held back
        assertThat(Fixtures.sql("SELECT status || ' ' || source FROM consent WHERE customer_id = ? AND channel = 'email'"
                + " AND purpose = 'marketing'", customer)).isEqualTo("withdrawn spam-complaint");
        ConsumerRecord<String, String> unsubscribed = Fixtures.exactlyOne(EventType.UNSUBSCRIBED, customer);
        assertThat(EventSchemas.violations(EventType.UNSUBSCRIBED.type(), unsubscribed.value())).isEmpty();
        assertThat(unsubscribed.value()).contains("\"source\":\"spam-complaint\"");
        assertThat(awaitStatus(sent(customer, template, "em-3"), "suppressed").path("reason").asText()).isEqualTo("no-consent");
    }

    private static io.restassured.response.ValidatableResponse receipt(String channel, String body, String signature) {
        var request = io.restassured.RestAssured.given().contentType("application/json").body(body);
        if (signature != null) {
            request = request.header("X-CustOps-Signature", signature);
        }
        return request.post("/t/receipts/" + channel).then();
    }

    private static String hmac(String key, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
