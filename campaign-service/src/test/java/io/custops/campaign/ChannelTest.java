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
}
