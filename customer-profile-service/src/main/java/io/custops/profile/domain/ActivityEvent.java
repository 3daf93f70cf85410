package io.custops.profile.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An accepted activity event, as published; its id is the CloudEvent id. */
@Entity
@Table(name = "activity_event")
public class ActivityEvent {
    @Id
    @Column(name = "event_id")
    public UUID eventId;

    /** The source system and the caller's event id: a retried event is recognised by it. */
    @Column(name = "dedup_key", nullable = false, unique = true)
    public String dedupKey;

    @Column(nullable = false)
    public String type;

    @Column(name = "customer_id", nullable = false)
    public UUID customerId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(nullable = false)
    public String data;

    public String comment;

    public static String dedupKey(String source, String callerEventId) {
        return source + ":" + callerEventId;
    }
}
