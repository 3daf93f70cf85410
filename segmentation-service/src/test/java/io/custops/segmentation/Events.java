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

    /** An order placed {@code daysAgo} days (and an hour) before now. */
    static void orderDaysAgo(UUID customer, String orderId, String amount, int daysAgo) {
        order(customer, UUID.randomUUID().toString(), orderId, amount, ago(daysAgo));
    }

    static void refund(UUID customer, String orderId, String refundId, String amount, int daysAgo) {
        KafkaTestClient.send(Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","orderId":"%s","refundId":"%s","refundedAt":"%s","amount":{"value":"%s","currency":"EUR"},"source":"pos"}
                """.formatted(customer, orderId, refundId, ago(daysAgo), amount),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.ORDER_REFUNDED.type(), customer));
    }

    static void interaction(UUID customer, String type, int daysAgo) {
        KafkaTestClient.send(Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","interactionId":"%s","interactionType":"%s","occurredAt":"%s","channel":"app","source":"app"}
                """.formatted(customer, UUID.randomUUID(), type, ago(daysAgo)),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.INTERACTION_RECORDED.type(), customer));
    }

    static void feedback(UUID customer, String feedbackId, String kind, Integer score, int daysAgo) {
        KafkaTestClient.send(Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","feedbackId":"%s","kind":"%s","score":%s,"category":%s,"submittedAt":"%s","channel":"app","source":"crm"}
                """.formatted(customer, feedbackId, kind, score, "complaint".equals(kind) ? "\"delivery\"" : "null", ago(daysAgo)),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.FEEDBACK_SUBMITTED.type(), customer));
    }

    static void resolved(UUID customer, String complaintId, int daysAgo) {
        KafkaTestClient.send(Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","complaintId":"%s","resolvedAt":"%s","resolution":"compensated","source":"crm"}
                """.formatted(customer, complaintId, ago(daysAgo)),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.COMPLAINT_RESOLVED.type(), customer));
    }

    static void registeredWithBirthday(UUID customer, String monthDay) {
        KafkaTestClient.send(Topics.PROFILE, customer.toString(), """
                {"customerId":"%s","registeredAt":"2026-11-01T09:00:00Z","source":"crm","registrationChannel":"web","locale":null,"region":null,"birthdayMonthDay":"%s"}
                """.formatted(customer, monthDay), KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(),
                EventType.PROFILE_REGISTERED.type(), customer));
    }

    static void birthdayChanged(UUID customer, String monthDay) {
        KafkaTestClient.send(Topics.PROFILE, customer.toString(), """
                {"customerId":"%s","changedFields":["birthday"],"completeness":0.3,"updatedAt":"%s","birthdayMonthDay":"%s"}
                """.formatted(customer, ago(0), monthDay), KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(),
                EventType.PROFILE_UPDATED.type(), customer));
    }

    static void tagged(UUID customer, String group, String tag) {
        KafkaTestClient.send(Topics.PROFILE, customer.toString(), """
                {"customerId":"%s","added":[{"group":"%s","tag":"%s"}],"removed":[],"changedAt":"%s"}
                """.formatted(customer, group, tag, ago(0)),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.TAGS_CHANGED.type(), customer));
    }

    /** An order in one product category. */
    static void categoryOrder(UUID customer, String orderId, String category, int daysAgo) {
        KafkaTestClient.send(Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","orderId":"%s","placedAt":"%s","amount":{"value":"20.00","currency":"EUR"},"source":"pos",
                 "items":[{"sku":"SKU-1","category":"%s","quantity":1,"unitPrice":{"value":"20.00","currency":"EUR"}}]}
                """.formatted(customer, orderId, ago(daysAgo), category),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.ORDER_PLACED.type(), customer));
    }

    static String ago(int days) {
        return java.time.Instant.now().minus(java.time.Duration.ofDays(days).plusHours(1))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
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
