package io.custops.campaign.service;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.events.EventType;
import io.custops.events.payload.Converted;
import io.custops.events.payload.OrderPlaced;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Attributes orders to messages, last touch: an {@code OrderPlaced} within {@code custops.attribution.window} after
 * the customer opened or clicked a sent message converts the latest such message (its revenue: the order total) and
 * publishes {@code Converted}. An order converts at most one message and a message at most once, so redelivered or
 * repeated orders change nothing.
 */
@ApplicationScoped
public class Conversions {
    private final EventOutbox outbox;
    private final Duration window;

    public Conversions(EventOutbox outbox, @ConfigProperty(name = "custops.attribution.window", defaultValue = "7d") Duration window) {
        this.outbox = outbox;
        this.window = window;
    }

    public Uni<Void> apply(IncomingEvent event) {
        if (!EventType.ORDER_PLACED.type().equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        OrderPlaced order = event.data(OrderPlaced.class);
        if (order.amount() == null || order.placedAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return AudienceApplier.liveId(order.customerId()).flatMap(live -> live.isEmpty() ? Uni.createFrom().voidItem() : NativeSql.list("""
                WITH touch AS (
                    SELECT m.id FROM message m
                    WHERE m.customer_id = :customer AND m.status = 'sent' AND m.converted_at IS NULL AND m.opened_at IS NOT NULL
                      AND greatest(m.opened_at, coalesce(m.clicked_at, m.opened_at)) <= :placedAt
                      AND greatest(m.opened_at, coalesce(m.clicked_at, m.opened_at)) > CAST(:placedAt AS timestamptz) - make_interval(secs => :window)
                      AND NOT EXISTS (SELECT 1 FROM message o WHERE o.customer_id = :customer AND o.converted_order = :orderId)
                    ORDER BY greatest(m.opened_at, coalesce(m.clicked_at, m.opened_at)) DESC LIMIT 1 FOR UPDATE)
                UPDATE message m SET converted_at = :placedAt, converted_order = :orderId, revenue = CAST(:revenue AS numeric),
                    revenue_currency = :currency
                FROM touch WHERE m.id = touch.id
                RETURNING m.id, m.customer_id, m.channel, m.template_id, m.campaign_id, m.clicked_at IS NOT NULL""", Object[].class,
                NativeSql.params("customer", live.get(), "placedAt", order.placedAt().atOffset(ZoneOffset.UTC),
                        "window", (double) window.toSeconds(), "orderId", order.orderId(), "revenue", new java.math.BigDecimal(order.amount().value()),
                        "currency", order.amount().currency()))
                .flatMap(rows -> outbox.recordAll(rows.stream().map(r -> outbox.prepare(EventType.CONVERTED, (UUID) r[1],
                        new Converted((UUID) r[1], (UUID) r[0], (String) r[2], (UUID) r[3], (UUID) r[4], order.orderId(), order.amount(),
                                Boolean.TRUE.equals(r[5]) ? "click" : "open", order.placedAt()))).toList())));
    }
}
