package io.custops.campaign.config;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How messages are delivered and safeguarded ({@code custops.delivery.*}). */
@ConfigMapping(prefix = "custops.delivery")
public interface DeliveryConfig {
    /** How often an idle worker looks for due messages (a busy one goes on at once). */
    @WithDefault("1s")
    String pollInterval();

    /** How many of a batch's messages a worker hands to channels at once. */
    @WithDefault("16")
    int parallelism();

    /** Messages a worker claims per round. */
    @WithDefault("200")
    int batchSize();

    /** How long a claimed message stays with its worker before another may take it over. */
    @WithDefault("60s")
    Duration lease();

    /** Sending attempts before a message fails for good. */
    @WithDefault("5")
    int maxAttempts();

    /** The wait before the first retry; it doubles with each further attempt. */
    @WithDefault("30s")
    Duration retryBackoff();

    /** Marketing messages allowed per channel (the key) and rolling window, across every campaign and journey. */
    Map<String, FrequencyCap> frequencyCaps();

    /**
     * Per value tier (A, B, C, D, from segmentation): the least time between two marketing messages on any channel —
     * basic customers monthly, key customers weekly; a tier without an entry (VIPs) is not limited beyond the caps.
     */
    Map<String, Duration> tierCadence();

    QuietHours quietHours();

    /** What one message costs per channel (provider price), charged to the sending campaign's budget pool. */
    Map<String, java.math.BigDecimal> messageCost();

    /** Per channel (email, sms, push, wechat): its provider and throughput. */
    Map<String, Channel> channels();

    interface FrequencyCap {
        int max();

        Duration window();
    }

    /** No marketing message reaches a customer between start and end of their local time (wrapping midnight). */
    interface QuietHours {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("21:00")
        LocalTime start();

        @WithDefault("08:00")
        LocalTime end();

        /** {@code defer} (send when the quiet hours end) or {@code skip} (suppress). */
        @WithDefault("defer")
        String mode();

        /** For customers whose profile names no time zone. */
        @WithDefault("UTC")
        String defaultTimeZone();
    }

    interface Channel {
        /** The HTTP provider adapter's endpoint (sms, push, wechat); e-mail goes over SMTP (quarkus.mailer.*). */
        Optional<URI> endpoint();

        /** The provider credential, sent as a bearer token. */
        Optional<String> token();

        @WithDefault("50")
        double ratePerSecond();

        @WithDefault("5s")
        Duration timeout();
    }
}
