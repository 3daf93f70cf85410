package io.custops.profile.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The consent in force for one customer, channel and purpose. No row means no consent. */
@Entity
@Table(name = "consent")
@IdClass(Consent.Key.class)
public class Consent {
    public static final List<String> CHANNELS = List.of("email", "sms", "push", "wechat");
    public static final List<String> PURPOSES = List.of("marketing", "service", "analytics");
    public static final String GRANTED = "granted";
    public static final String WITHDRAWN = "withdrawn";
    public static final String UNKNOWN = "unknown";

    @Id
    @Column(name = "customer_id")
    public UUID customerId;

    @Id
    public String channel;

    @Id
    public String purpose;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String source;

    /** Evidence of the consent: form id, double opt-in confirmation, recording reference. */
    public String proof;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** Who recorded it: a user or client name, or "member" for self-service. */
    @Column(name = "recorded_by", nullable = false)
    public String recordedBy;

    public static class Key implements Serializable {
        public UUID customerId;
        public String channel;
        public String purpose;

        public Key() {
        }

        public Key(UUID customerId, String channel, String purpose) {
            this.customerId = customerId;
            this.channel = channel;
            this.purpose = purpose;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.customerId, customerId) && Objects.equals(k.channel, channel)
                    && Objects.equals(k.purpose, purpose);
        }

        @Override
        public int hashCode() {
            return Objects.hash(customerId, channel, purpose);
        }
    }
}
