package io.custops.campaign;

import static io.custops.campaign.Fixtures.awaitStatus;
import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.custops.campaign.Fixtures.inbox;
import static io.custops.campaign.Fixtures.sent;
import static io.custops.campaign.Fixtures.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Message;

/** Every send passes consent, the cross-campaign frequency cap, quiet hours and deduplication. */
@QuarkusTest
class SafeguardTest {
    private static final String NOON_ZONE = zoneWhereItIsNow(12);
    private String marketing;

    @BeforeEach
    void marketingTemplate() {
        marketing = template("email", "marketing", "Hello {customer.firstName}",
                "<p>Hi {customer.firstName}, use {data.coupon}.</p><a href=\"https://shop.example.com/sale\">Shop</a>");
    }

    @Test
    void withoutConsentNothingIsSentAndTheReasonIsRecorded() throws Exception {
        UUID customer = customer(NOON_ZONE);
        String message = sent(customer, marketing, "no-consent");
        JsonNode view = awaitStatus(message, "suppressed");
        assertThat(view.path("reason").asText()).isEqualTo("no-consent");
        assertThat(inbox("c-" + customer + "@example.com")).isEmpty();
        List<ConsumerRecord<String, String>> events = Fixtures.events(EventType.MESSAGE_SUPPRESSED, customer, 1);
        assertThat(events).hasSize(1);
        assertThat(EventSchemas.violations(EventType.MESSAGE_SUPPRESSED.type(), events.get(0).value())).isEmpty();
        assertThat(events.get(0).value()).contains("\"reason\":\"no-consent\"").doesNotContain("example.com");

        // a service consent does not cover marketing; a withdrawn marketing consent that arrives late stays the latest
        grant(customer, "email", "service");
        Fixtures.consent(customer, "email", "marketing", "withdrawn", Instant.now());
        Fixtures.awaitConsent(customer, "email", "marketing", "withdrawn");
        Fixtures.consent(customer, "email", "marketing", "granted", Instant.now().minus(1, ChronoUnit.DAYS));
        await().during(java.time.Duration.ofSeconds(1)).atMost(Fixtures.WAIT).until(() -> "withdrawn".equals(Fixtures.sql(
                "SELECT status FROM consent WHERE customer_id = ? AND channel = 'email' AND purpose = 'marketing'", customer)));
        assertThat(awaitStatus(sent(customer, marketing, "still-no"), "suppressed").path("reason").asText()).isEqualTo("no-consent");

        // with the marketing consent granted the e-mail goes out, personalised, with one-click unsubscribe headers
        grant(customer, "email", "marketing");
        String delivered = sent(customer, marketing, "consented");
        awaitStatus(delivered, "sent");
        List<Message> inbox = inbox("c-" + customer + "@example.com");
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).getSubject()).isEqualTo("Hello Ada");
        String body = (String) inbox.get(0).getContent();
        assertThat(body).contains("Hi Ada, use WELCOME10.").contains("/t/c/" + delivered + "/").contains("/t/o/" + delivered + "/")
                .doesNotContain("href=\"https://shop.example.com/sale\"");
        assertThat(inbox.get(0).getHeader("List-Unsubscribe")[0]).contains("/t/u/" + delivered + "/");
        assertThat(inbox.get(0).getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        List<ConsumerRecord<String, String>> sentEvents = Fixtures.events(EventType.MESSAGE_SENT, customer, 1);
        assertThat(EventSchemas.violations(EventType.MESSAGE_SENT.type(), sentEvents.get(0).value())).isEmpty();
    }

    @Test
    void theFourthMarketingEmailInAWeekIsSuppressedAcrossSendsButTransactionalMailIsExempt() throws Exception {
        UUID customer = customer(NOON_ZONE);
        grant(customer, "email", "marketing");
        grant(customer, "email", "service");
        String other = template("email", "marketing", "Other campaign", "<p>Another offer</p>");
        List<String> messages = List.of(sent(customer, marketing, "week-1"), sent(customer, other, "week-2"),
                sent(customer, marketing, "week-3"), sent(customer, other, "week-4"));
        await().atMost(Fixtures.WAIT).until(() -> messages.stream().noneMatch(m -> List.of("queued", "sending")
                .contains(Fixtures.message(m).path("status").asText())));
        assertThat(messages.stream().map(m -> Fixtures.message(m).path("status").asText()))
                .containsExactly("sent", "sent", "sent", "suppressed");
        assertThat(Fixtures.message(messages.get(3)).path("reason").asText()).isEqualTo("frequency-cap");

        String receipt = template("email", "transactional", "Your order", "<p>Order {data.coupon} confirmed</p>");
        awaitStatus(sent(customer, receipt, "order-1"), "sent");
        assertThat(inbox("c-" + customer + "@example.com")).hasSize(4);
    }

    @Test
    void aBasicTierCustomerGetsAtMostOneMarketingMessageAMonthOnAnyChannelWhileVipsAreNotLimited() {
        UUID basic = customer(NOON_ZONE);
        Fixtures.tier(basic, "C");
        grant(basic, "email", "marketing");
        grant(basic, "sms", "marketing");
        String sms = template("sms", "marketing", null, "Hi {customer.firstName}");
        awaitStatus(sent(basic, marketing, "cadence-1"), "sent");
        assertThat(awaitStatus(sent(basic, sms, "cadence-2"), "suppressed").path("reason").asText()).isEqualTo("tier-cadence");

        UUID vip = customer(NOON_ZONE);
        Fixtures.tier(vip, "A");
        grant(vip, "email", "marketing");
        awaitStatus(sent(vip, marketing, "vip-1"), "sent");
        awaitStatus(sent(vip, marketing, "vip-2"), "sent");
    }

    @Test
    void quietHoursDeferMarketingToTheirEndInTheCustomersOwnTimeZone() throws Exception {
        String lateZone = zoneWhereItIsNow(23);
        UUID customer = customer(lateZone);
        grant(customer, "email", "marketing");
        grant(customer, "email", "service");
        JsonNode deferred = awaitStatus(sent(customer, marketing, "late"), "queued");
        await().atMost(Fixtures.WAIT).until(() -> "deferred: quiet hours".equals(Fixtures.message(deferred.path("id").asText())
                .path("reason").asText()));
        Instant notBefore = Instant.parse(Fixtures.message(deferred.path("id").asText()).path("notBefore").asText());
        ZonedDateTime local = notBefore.atZone(ZoneId.of(lateZone));
        assertThat(local.toLocalTime()).isEqualTo(LocalTime.of(8, 0));
        assertThat(notBefore).isAfter(Instant.now()).isBefore(Instant.now().plus(10, ChronoUnit.HOURS));
        // transactional mail is not held back
        String receipt = template("email", "transactional", "Receipt", "<p>Thanks</p>");
        awaitStatus(sent(customer, receipt, "receipt"), "sent");
        assertThat(inbox("c-" + customer + "@example.com")).hasSize(1);
    }

    @Test
    void theSameMessageIsSentOnceAndTheRepeatIsRecordedAsADuplicate() throws Exception {
        UUID customer = customer(NOON_ZONE);
        grant(customer, "email", "marketing");
        String first = sent(customer, marketing, null);
        String repeat = Fixtures.send(customer, marketing, null).statusCode(200).body("status", equalTo("suppressed"))
                .body("reason", equalTo("duplicate")).extract().path("id");
        assertThat(repeat).isNotEqualTo(first);
        awaitStatus(first, "sent");
        assertThat(inbox("c-" + customer + "@example.com")).hasSize(1);
        given(customer).get("/api/campaigns/messages").then().statusCode(200).body("items.size()", equalTo(2))
                .body("items.reason", org.hamcrest.Matchers.hasItem("duplicate"));
    }

    @Test
    void anErasedCustomerIsNeverMessagedAndAMergedIdsConsentFollowsItsSurvivor() {
        UUID erased = customer(NOON_ZONE);
        grant(erased, "email", "marketing");
        io.custops.local.testing.KafkaTestClient.send(io.custops.events.Topics.PROFILE, erased.toString(),
                "{\"customerId\":\"" + erased + "\",\"erasedAt\":\"" + Instant.now() + "\"}",
                io.custops.local.testing.KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.PROFILE_ERASED.type(), erased));
        await().atMost(Fixtures.WAIT).until(() -> Fixtures.sql("SELECT reason FROM retired_customer WHERE customer_id = ?", erased) != null);
        assertThat(awaitStatus(sent(erased, marketing, "after-erasure"), "suppressed").path("reason").asText()).isEqualTo("erased");

        UUID survivor = customer(NOON_ZONE);
        UUID merged = UUID.randomUUID();
        grant(merged, "email", "marketing");
        io.custops.local.testing.KafkaTestClient.send(io.custops.events.Topics.PROFILE, merged.toString(), """
                {"survivorId":"%s","mergedId":"%s","mergeId":"%s","mergedAt":"%s","reason":"identifier email"}"""
                .formatted(survivor, merged, UUID.randomUUID(), Instant.now()),
                io.custops.local.testing.KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.PROFILES_MERGED.type(), merged));
        Fixtures.awaitConsent(survivor, "email", "marketing", "granted");
        // a send to the retired id goes to the survivor
        String message = sent(merged, marketing, "to-merged");
        assertThat(Fixtures.message(message).path("customerId").asText()).isEqualTo(survivor.toString());
        awaitStatus(message, "sent");
    }

    private static io.restassured.specification.RequestSpecification given(UUID customer) {
        return io.restassured.RestAssured.given().auth().oauth2(io.custops.local.testing.TestTokens.bearer("marketer"))
                .queryParam("customerId", customer.toString());
    }

    /** An IANA zone (Etc/GMT±N) whose local hour is now {@code hour}. */
    static String zoneWhereItIsNow(int hour) {
        int utcHour = ZonedDateTime.now(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(hour - utcHour + 12, 24) - 12; // -12 .. +11
        // Etc/GMT signs are inverted: Etc/GMT-8 is UTC+8
        return offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
    }
}
