package io.custops.community.loyalty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.community.config.LoyaltyConfig;
import io.custops.community.rest.dto.LoyaltyDtos.EarnRuleView;
import io.custops.events.EventType;
import io.custops.events.payload.InteractionRecorded;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.OrderRefunded;
import io.custops.events.payload.PointsReversed;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Points from customer activity. An order earns by every active order rule in its currency, pending until its refund
 * window closes, once per order id however often it arrives; a refund takes back exactly the share of those points
 * that the refunded amount is of the order (all of them for a full refund), once per refund id, from the order's own
 * lots first, pending or not. An interaction earns by the engagement rules of its type, once per interaction id.
 */
@ApplicationScoped
public class ActivityPoints {
    private final EarnRules rules;
    private final Ledger ledger;
    private final EventOutbox outbox;
    private final LoyaltyConfig config;

    public ActivityPoints(EarnRules rules, Ledger ledger, EventOutbox outbox, LoyaltyConfig config) {
        this.rules = rules;
        this.ledger = ledger;
        this.outbox = outbox;
        this.config = config;
    }

    public Uni<Void> order(UUID customer, OrderPlaced order) {
        if (order.amount() == null || order.amount().amount().signum() <= 0) {
            return Uni.createFrom().voidItem();
        }
        BigDecimal amount = order.amount().amount();
        String currency = order.amount().currency();
        Instant vests = order.placedAt().plus(config.refundWindow());
        return Ledger.lock(customer)
                .flatMap(x -> NativeSql.list("""
                        INSERT INTO order_points (customer_id, order_id, amount, currency, points, placed_at)
                        VALUES (:customer, :order, :amount, :currency, 0, :at) ON CONFLICT DO NOTHING RETURNING order_id""", String.class,
                        NativeSql.params("customer", customer, "order", order.orderId(), "amount", amount, "currency", currency,
                                "at", NativeSql.utc(order.placedAt()))))
                .flatMap(fresh -> fresh.isEmpty() ? Uni.createFrom().voidItem() : rules.active("order", null).flatMap(active -> {
                    Uni<Integer> earned = Uni.createFrom().item(0);
                    for (EarnRuleView rule : active) {
                        if (rule.currency() != null && !rule.currency().equals(currency)) {
                            continue;
                        }
                        int points = amount.multiply(rule.pointsPerUnit()).setScale(0, RoundingMode.FLOOR).intValueExact();
                        if (points <= 0) {
                            continue;
                        }
                        earned = earned.flatMap(total -> rules.award(rule, customer, points, "order", order.orderId(), order.placedAt(), vests,
                                "order:" + order.orderId() + ":" + rule.id()).map(credited -> total + credited));
                    }
                    return earned.flatMap(total -> NativeSql.execute(
                            "UPDATE order_points SET points = :points WHERE customer_id = :customer AND order_id = :order",
                            NativeSql.params("points", total, "customer", customer, "order", order.orderId())));
                }).replaceWithVoid());
    }

    public Uni<Void> refund(UUID customer, OrderRefunded refund) {
        String refundId = refund.refundId() == null ? "refund" : refund.refundId();
        Map<String, Object> ids = NativeSql.params("customer", customer, "order", refund.orderId(), "refund", refundId);
        return Ledger.lock(customer)
                .flatMap(x -> NativeSql.list("""
                        INSERT INTO order_refund (customer_id, order_id, refund_id, points, applied_at)
                        SELECT customer_id, order_id, :refund, 0, now() FROM order_points WHERE customer_id = :customer AND order_id = :order
                        ON CONFLICT DO NOTHING RETURNING refund_id""", String.class, ids))
                .flatMap(fresh -> fresh.isEmpty() ? Uni.createFrom().voidItem() : NativeSql.list("""
                        SELECT amount, currency, points, reversed, refunded FROM order_points WHERE customer_id = :customer AND order_id = :order""",
                        Object[].class, ids).flatMap(rows -> {
                            Object[] o = rows.get(0);
                            BigDecimal amount = (BigDecimal) o[0];
                            int points = ((Number) o[2]).intValue();
                            int reversed = ((Number) o[3]).intValue();
                            boolean full = refund.amount() == null || !refund.amount().currency().equals(o[1]);
                            BigDecimal refunded = full ? amount : amount.min(((BigDecimal) o[4]).add(refund.amount().amount()));
                            int target = refunded.compareTo(amount) >= 0 ? points
                                    : new BigDecimal(points).multiply(refunded).divide(amount, 0, RoundingMode.HALF_UP).intValue();
                            int take = Math.max(0, target - reversed);
                            Uni<Void> record = NativeSql.execute("""
                                    UPDATE order_points SET reversed = reversed + :take, refunded = :refunded WHERE customer_id = :customer AND order_id = :order""",
                                    NativeSql.with(ids, "take", take, "refunded", refunded))
                                    .flatMap(y -> NativeSql.execute("""
                                            UPDATE order_refund SET points = :take WHERE customer_id = :customer AND order_id = :order AND refund_id = :refund""",
                                            NativeSql.with(ids, "take", take)))
                                    .replaceWithVoid();
                            return take == 0 ? record : record.flatMap(y -> reverse(customer, refund, refundId, take));
                        }));
    }

    private Uni<Void> reverse(UUID customer, OrderRefunded refund, String refundId, int points) {
        return NativeSql.list("""
                SELECT id, vested FROM points_entry WHERE customer_id = :customer AND reason = 'order' AND kind = 'earn' AND reference = :order
                ORDER BY id""", Object[].class, NativeSql.params("customer", customer, "order", refund.orderId()))
                .flatMap(lots -> {
                    List<Long> own = lots.stream().map(l -> ((Number) l[0]).longValue()).toList();
                    boolean pending = lots.stream().anyMatch(l -> !(Boolean) l[1]);
                    Instant at = refund.refundedAt() == null ? Instant.now() : refund.refundedAt();
                    return ledger.debit(customer, "reverse", points, "refund", refund.orderId(), own, null, null,
                            "refund:" + refund.orderId() + ":" + refundId, at)
                            .flatMap(entry -> outbox.record(EventType.POINTS_REVERSED, customer, new PointsReversed(customer, entry, points,
                                    "refund", refund.orderId(), refundId, pending, at)));
                })
                .replaceWithVoid();
    }

    public Uni<Void> interaction(UUID customer, InteractionRecorded interaction) {
        return rules.engage(customer, interaction.interactionType(), interaction.interactionId(), interaction.occurredAt());
    }
}
