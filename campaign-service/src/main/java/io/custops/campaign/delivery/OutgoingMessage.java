package io.custops.campaign.delivery;

import java.util.UUID;

/** A rendered message on its way to a channel provider. {@code title} is the e-mail subject or push title. */
public record OutgoingMessage(UUID messageId, String channel, String to, String title, String body, String unsubscribeUrl) {
}
