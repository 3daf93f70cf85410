package io.custops.segmentation;

import java.util.UUID;

import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;

/** Publishes hand-made events as the profile service would. */
final class Events {
    private Events() {
    }

    static String registered(UUID customer) {
        String id = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.PROFILE, customer.toString(), """
                {"customerId":"%s","registeredAt":"2026-11-01T09:00:00Z","source":"crm","registrationChannel":"web","locale":null,"region":null}
                """.formatted(customer), KafkaTestClient.cloudEventHeaders(id, EventType.PROFILE_REGISTERED.type(), customer));
        return id;
    }

    static void order(UUID customer, String eventId, String orderId, String amount, String placedAt) {
        KafkaTestClient.send(Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","orderId":"%s","placedAt":"%s","amount":{"value":"%s","currency":"EUR"},"source":"pos"}
                """.formatted(customer, orderId, placedAt, amount),
                KafkaTestClient.cloudEventHeaders(eventId, EventType.ORDER_PLACED.type(), customer));
    }

    static void erased(UUID customer) {
        KafkaTestClient.send(Topics.PROFILE, customer.toString(), """
                {"customerId":"%s","erasedAt":"2026-11-22T09:00:00Z"}""".formatted(customer),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.PROFILE_ERASED.type(), customer));
    }

    static void merged(UUID survivor, UUID merged) {
        KafkaTestClient.send(Topics.PROFILE, merged.toString(), """
                {"survivorId":"%s","mergedId":"%s","mergeId":"%s","mergedAt":"2026-11-22T09:00:00Z","reason":"test"}"""
                .formatted(survivor, merged, UUID.randomUUID()),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.PROFILES_MERGED.type(), merged));
    }
}
