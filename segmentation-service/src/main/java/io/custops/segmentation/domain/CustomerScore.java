package io.custops.segmentation.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A customer's rollup (kept current from events) and the stage derived from it. */
@Entity
@Table(name = "customer_score")
public class CustomerScore {
    @Id
    @Column(name = "customer_id")
    public UUID customerId;

    @Version
    public long version;

    @Enumerated(EnumType.STRING)
    @Column(name = "lifecycle_stage", nullable = false)
    public LifecycleStage lifecycleStage;

    @Column(name = "order_count", nullable = false)
    public int orderCount;

    @Column(name = "monetary_total", nullable = false)
    public BigDecimal monetaryTotal = BigDecimal.ZERO;

    public String currency;

    @Column(name = "first_order_at")
    public Instant firstOrderAt;

    @Column(name = "last_order_at")
    public Instant lastOrderAt;

    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static CustomerScore newCustomer(UUID customerId, LifecycleStage stage, Instant now) {
        CustomerScore score = new CustomerScore();
        score.customerId = customerId;
        score.lifecycleStage = stage;
        score.updatedAt = now;
        return score;
    }
}
