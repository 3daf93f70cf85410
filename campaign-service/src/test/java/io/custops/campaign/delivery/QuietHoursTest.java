package io.custops.campaign.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/** Quiet hours in the customer's own time zone: when they hold and when they end. */
class QuietHoursTest {
    private static final LocalTime NINE_PM = LocalTime.of(21, 0);
    private static final LocalTime EIGHT_AM = LocalTime.of(8, 0);
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void lateEveningIsQuietUntilTomorrowMorningLocally() {
        // 22:30 in Shanghai is 14:30 UTC; the quiet hours end at 08:00 Shanghai the next day, 00:00 UTC
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-12-01T14:30:00Z"), SHANGHAI, NINE_PM, EIGHT_AM))
                .contains(Instant.parse("2026-12-02T00:00:00Z"));
    }

    @Test
    void earlyMorningIsQuietUntilEightTheSameDay() {
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-12-01T19:00:00Z"), SHANGHAI, NINE_PM, EIGHT_AM)) // 03:00 local
                .contains(Instant.parse("2026-12-02T00:00:00Z"));
    }

    @Test
    void theBoundariesBelongToTheQuietHoursAtTheStartAndToTheDayAtTheEnd() {
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-12-01T13:00:00Z"), SHANGHAI, NINE_PM, EIGHT_AM)).isPresent(); // 21:00
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-12-01T00:00:00Z"), SHANGHAI, NINE_PM, EIGHT_AM)).isEmpty(); // 08:00
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-12-01T04:00:00Z"), SHANGHAI, NINE_PM, EIGHT_AM)).isEmpty(); // noon
    }

    @Test
    void theSameInstantIsQuietForOneCustomerAndNotForAnother() {
        Instant instant = Instant.parse("2026-12-01T14:30:00Z"); // 22:30 in Shanghai, 09:30 in New York
        assertThat(Dispatcher.quietUntil(instant, SHANGHAI, NINE_PM, EIGHT_AM)).isPresent();
        assertThat(Dispatcher.quietUntil(instant, ZoneId.of("America/New_York"), NINE_PM, EIGHT_AM)).isEmpty();
    }

    @Test
    void aWindowWithinOneDayDoesNotWrap() {
        LocalTime oneAm = LocalTime.of(1, 0);
        LocalTime sixAm = LocalTime.of(6, 0);
        ZoneId utc = ZoneId.of("UTC");
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-12-01T02:00:00Z"), utc, oneAm, sixAm)).contains(Instant.parse("2026-12-01T06:00:00Z"));
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-12-01T23:00:00Z"), utc, oneAm, sixAm)).isEmpty();
    }

    @Test
    void theEndIsTheLocalEightOClockAcrossAChangeOfDaylightSavingTime() {
        // Berlin leaves summer time in the night of 25 October 2026: 23:00 CEST (21:00 UTC) is quiet until 08:00 CET (07:00 UTC)
        assertThat(Dispatcher.quietUntil(Instant.parse("2026-10-24T21:00:00Z"), ZoneId.of("Europe/Berlin"), NINE_PM, EIGHT_AM))
                .contains(Instant.parse("2026-10-25T07:00:00Z"));
    }
}
