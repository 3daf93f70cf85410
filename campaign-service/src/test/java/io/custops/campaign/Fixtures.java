package io.custops.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** Customers, consents, templates and sends as the tests need them, and what the channels received. */
final class Fixtures {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Fixtures() {
    }

    /** A customer the profile service knows, with an e-mail, a phone and a time zone; returns the id. */
    static UUID customer(String timeZone) {
        UUID id = UUID.randomUUID();
        contact(id, "c-" + id + "@example.com", "+8613800" + String.format("%06d", Math.abs(id.hashCode()) % 1_000_000), null,
                timeZone, "en");
        return id;
    }

    /** What the profile service's contact lookup answers for this customer from now on. */
    static void contact(UUID id, String email, String phone, String deviceId, String timeZone, String locale) {
        String body = """
                {"customerId":"%s","email":%s,"phone":%s,"deviceId":%s,"wechatOpenId":null,"firstName":"Ada","lastName":"Lovelace",
                 "locale":"%s","timeZone":%s}""".formatted(id, json(email), json(phone), json(deviceId), locale, json(timeZone));
        stub("PUT", "/control/contacts/" + id, body);
    }

    /** A ConsentChanged event as the profile service publishes it, applied before this returns. */
    static void consent(UUID customer, String channel, String purpose, String status, Instant changedAt) {
        KafkaTestClient.send(Topics.PROFILE, customer.toString(), """
                {"customerId":"%s","channel":"%s","purpose":"%s","status":"%s","source":"crm","changedAt":"%s"}
                """.formatted(customer, channel, purpose, status, changedAt),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.CONSENT_CHANGED.type(), customer));
    }

    static void grant(UUID customer, String channel, String purpose) {
        Instant at = Instant.now();
        consent(customer, channel, purpose, "granted", at);
        awaitConsent(customer, channel, purpose, "granted");
    }

    static void awaitConsent(UUID customer, String channel, String purpose, String status) {
        await().atMost(WAIT).until(() -> status.equals(sql("SELECT status FROM consent WHERE customer_id = ? AND channel = ? AND purpose = ?",
                customer, channel, purpose)));
    }

    /** Segmentation announces that the customer entered (or exited) the segment. */
    static void segment(UUID segment, UUID customer, boolean entered) {
        EventType type = entered ? EventType.SEGMENT_ENTERED : EventType.SEGMENT_EXITED;
        KafkaTestClient.send(Topics.SEGMENTATION, customer.toString(), """
                {"customerId":"%s","segmentId":"%s","segmentName":"test segment","%s":"%s","cause":"event"}
                """.formatted(customer, segment, entered ? "enteredAt" : "exitedAt", Instant.now()),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), type.type(), customer));
    }

    static void awaitMembers(UUID segment, int members) {
        await().atMost(WAIT).until(() -> String.valueOf(members).equals(sql("SELECT count(*) FROM segment_member WHERE segment_id = ?", segment)));
    }

    /** Segmentation announces the customer's new value tier. */
    static void tier(UUID customer, String tier) {
        KafkaTestClient.send(Topics.SEGMENTATION, customer.toString(), """
                {"customerId":"%s","from":null,"to":"%s","valueScore":3.2,"changedAt":"%s","modelVersion":1,"reason":"test"}
                """.formatted(customer, tier, Instant.now()),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.TIER_CHANGED.type(), customer));
        await().atMost(WAIT).until(() -> tier.equals(sql("SELECT tier FROM audience_customer WHERE customer_id = ?", customer)));
    }

    /** An OrderPlaced as the profile service publishes it. */
    static void order(UUID customer, String orderId, String amount) {
        order(customer, orderId, amount, Instant.now(), List.of());
    }

    /** An OrderPlaced with its time and the SKUs of its lines. */
    static void order(UUID customer, String orderId, String amount, Instant placedAt, List<String> skus) {
        String items = String.join(",", skus.stream().map(sku -> """
                {"sku":"%s","category":"test","quantity":1,"unitPrice":{"value":"10.00","currency":"EUR"}}""".formatted(sku)).toList());
        KafkaTestClient.send(Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","orderId":"%s","placedAt":"%s","amount":{"value":"%s","currency":"EUR"},"source":"pos","items":[%s]}
                """.formatted(customer, orderId, placedAt, amount, items),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.ORDER_PLACED.type(), customer));
    }

    /** A ProfileRegistered, with the birthday's month and day (MM-dd) or null. */
    static void registered(UUID customer, String birthdayMonthDay) {
        KafkaTestClient.send(Topics.PROFILE, customer.toString(), """
                {"customerId":"%s","registeredAt":"%s","source":"app","registrationChannel":"app","locale":"en","region":null,
                 "birthdayMonthDay":%s}""".formatted(customer, Instant.now(), json(birthdayMonthDay)),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.PROFILE_REGISTERED.type(), customer));
    }

    /** Segmentation raises churn risk with these reasons. */
    static void churnRisk(UUID customer, String... reasons) {
        String list = String.join(",", java.util.Arrays.stream(reasons).map(Fixtures::json).toList());
        KafkaTestClient.send(Topics.SEGMENTATION, customer.toString(), """
                {"customerId":"%s","reasons":[%s],"healthIndex":31,"daysSinceLastOrder":40,"daysSinceLastTouch":31,"raisedAt":"%s"}
                """.formatted(customer, list, Instant.now()),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.CHURN_RISK_RAISED.type(), customer));
    }

    /** Runs a statement on the service's database (a test moving a timer forward, as if its time had come). */
    static int update(String statement, Object... params) {
        return TestSql.update(statement, params);
    }

    /** Creates a template through the API; returns its id. */
    static String template(String channel, String category, String subject, String body) {
        return given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("""
                {"name":"t-%s","channel":"%s","category":"%s","defaultLocale":"en","contents":{"en":{"subject":%s,"body":%s}}}
                """.formatted(UUID.randomUUID(), channel, category, json(subject), json(body)))
                .post("/api/templates").then().statusCode(201).extract().path("id");
    }

    static ValidatableResponse send(UUID customer, String template, String dedupeKey) {
        return given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("""
                {"customerId":"%s","templateId":"%s","data":{"coupon":"WELCOME10"},"dedupeKey":%s}
                """.formatted(customer, template, json(dedupeKey))).post("/api/campaigns/messages").then();
    }

    /** Sends and returns the message id. */
    static String sent(UUID customer, String template, String dedupeKey) {
        return send(customer, template, dedupeKey).statusCode(202).extract().path("id");
    }

    /** Waits until the message has the status; returns its view. */
    static JsonNode awaitStatus(String message, String status) {
        await().atMost(WAIT).until(() -> status.equals(message(message).path("status").asText()));
        return message(message);
    }

    static JsonNode message(String id) {
        String body = given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/messages/" + id).then().statusCode(200)
                .extract().asString();
        try {
            return MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The e-mails in the address's inbox on the test SMTP server, read over IMAP. */
    static List<Message> inbox(String address) throws Exception {
        Properties props = new Properties();
        Session session = Session.getInstance(props);
        Store store = session.getStore("imap");
        try {
            // GreenMail creates a mailbox (login and password: the address) when the first mail arrives
            store.connect("127.0.0.1", Integer.parseInt(System.getProperty(DeliveryTestInfra.IMAP_PORT)), address, address);
        } catch (jakarta.mail.AuthenticationFailedException noMailbox) {
            return List.of();
        }
        Folder folder = store.getFolder("INBOX");
        folder.open(Folder.READ_ONLY);
        List<Message> messages = new ArrayList<>();
        for (Message m : folder.getMessages()) {
            messages.add(new jakarta.mail.internet.MimeMessage((jakarta.mail.internet.MimeMessage) m));
        }
        folder.close(false);
        store.close();
        return messages;
    }

    /** What an HTTP provider (sms, push, wechat) received, oldest first. */
    static JsonNode received(String channel) {
        return readTree(stub("GET", "/control/received/" + channel, null));
    }

    /** The provider answers {@code status} to the next {@code times} messages of the channel. */
    static void failNext(String channel, int status, int times) {
        stub("PUT", "/control/fail/" + channel + "/" + status + "/" + times, "");
    }

    /** The channel's events about a customer on the campaign topic. */
    static List<ConsumerRecord<String, String>> events(EventType type, UUID customer, int count) {
        return KafkaTestClient.read(Topics.CAMPAIGN, r -> customer.toString().equals(r.key())
                && type.type().equals(KafkaTestClient.header(r, "ce_type")), count, WAIT);
    }

    /** Waits for the customer's event of this type, then makes sure no second one follows; returns it. */
    static ConsumerRecord<String, String> exactlyOne(EventType type, UUID customer) {
        List<ConsumerRecord<String, String>> first = events(type, customer, 1);
        org.assertj.core.api.Assertions.assertThat(first).as(type.type()).hasSize(1);
        List<ConsumerRecord<String, String>> more = KafkaTestClient.read(Topics.CAMPAIGN, r -> customer.toString().equals(r.key())
                && type.type().equals(KafkaTestClient.header(r, "ce_type")), 2, Duration.ofSeconds(3));
        org.assertj.core.api.Assertions.assertThat(more).as("only one " + type.type()).hasSize(1);
        return first.get(0);
    }

    /** {@link #sql} for use in lambdas that may not throw. */
    static String sqlOrNull(String query, Object... params) {
        return sql(query, params);
    }

    static String sql(String query, Object... params) {
        return TestSql.value(query, params);
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stub(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(System.getProperty(DeliveryTestInfra.STUB_URL) + path));
            request = body == null ? request.GET() : request.method(method, HttpRequest.BodyPublishers.ofString(body));
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException("provider stub: " + e.getMessage(), e);
        }
    }

    static String json(String value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
