package io.custops.campaign;

import static io.custops.campaign.Fixtures.awaitStatus;
import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.custops.campaign.Fixtures.sent;
import static io.custops.campaign.Fixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.events.EventType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With {@code quiet-hours.mode=skip}, marketing that falls in the customer's quiet hours is suppressed, not deferred. */
@QuarkusTest
@TestProfile(QuietHoursSkipTest.Skip.class)
class QuietHoursSkipTest {

    public static class Skip implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("custops.delivery.quiet-hours.mode", "skip");
        }
    }

    @Test
    void marketingInTheQuietHoursIsSuppressedWithTheReasonWhileTransactionalMailGoesOut() throws Exception {
        UUID customer = customer(SafeguardTest.zoneWhereItIsNow(23));
        grant(customer, "email", "marketing");
        grant(customer, "email", "service");
        String marketing = template("email", "marketing", "Tonight only", "<p>Sale</p>");
        assertThat(awaitStatus(sent(customer, marketing, "late"), "suppressed").path("reason").asText()).isEqualTo("quiet-hours");
        assertThat(Fixtures.exactlyOne(EventType.MESSAGE_SUPPRESSED, customer).value()).contains("\"reason\":\"quiet-hours\"");
        String receipt = template("email", "transactional", "Receipt", "<p>Thanks</p>");
        awaitStatus(sent(customer, receipt, "receipt"), "sent");
        assertThat(Fixtures.inbox("c-" + customer + "@example.com")).hasSize(1);
    }
}
