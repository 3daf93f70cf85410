package io.custops.profile.domain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** An order accepted by ingestion; its key makes a retried ingestion of the same order a no-op. */
@Entity
@Table(name = "ingested_order")
@IdClass(IngestedOrder.Key.class)
public class IngestedOrder {
    @Id
    public String source;

    @Id
    @Column(name = "order_id")
    public String orderId;

    @Column(name = "customer_id", nullable = false)
    public UUID customerId;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(name = "placed_at", nullable = false)
    public Instant placedAt;

    @Column(nullable = false)
    public BigDecimal amount;

    @Column(nullable = false)
    public String currency;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    public static class Key implements Serializable {
        public String source;
        public String orderId;

        public Key() {
        }

        public Key(String source, String orderId) {
            this.source = source;
            this.orderId = orderId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(key.source, source) && Objects.equals(key.orderId, orderId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, orderId);
        }
    }
}
