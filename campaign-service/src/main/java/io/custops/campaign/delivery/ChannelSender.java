package io.custops.campaign.delivery;

/** Hands rendered messages to one channel's provider. Blocking: called from the delivery worker. */
public interface ChannelSender {
    /** Sends or throws {@link DeliveryException}. */
    void send(OutgoingMessage message);
}
