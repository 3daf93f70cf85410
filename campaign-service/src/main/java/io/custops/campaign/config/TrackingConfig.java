package io.custops.campaign.config;

import io.smallrye.config.ConfigMapping;

/** Public tracking links ({@code custops.tracking.*}): open pixel, click redirect, one-click unsubscribe. */
@ConfigMapping(prefix = "custops.tracking")
public interface TrackingConfig {
    /** The public base URL the links start with (the gateway), e.g. https://custops.example.com. */
    String baseUrl();

    /** The HMAC-SHA256 key that signs every link; at least 32 characters, from a secret in production. */
    String secret();
}
