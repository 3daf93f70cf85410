package io.custops.campaign.delivery;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.campaign.config.DeliveryConfig;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Claims due messages for a worker and applies the safeguards every send passes, across all campaigns and journeys,
 * in one transaction:
 * <ol>
 * <li>erased customers are never messaged ({@code erased});</li>
 * <li>customers in the global control group (a hash of the customer below the configured share) get no marketing
 * ({@code global-control});</li>
 * <li>no granted consent for the channel and purpose — marketing for marketing messages, service for transactional
 * ones — no send ({@code no-consent}); an unsubscribe withdraws the marketing consent;</li>
 * <li>a marketing message sooner than the cadence of the customer's value tier allows after the previous one, on any
 * channel, is suppressed ({@code tier-cadence});</li>
 * <li>marketing messages beyond the channel's frequency cap (sent or sending within the window, this batch
 * included, in due order) are suppressed ({@code frequency-cap}); transactional messages are exempt.</li>
 * <li>a campaign or journey message whose budget pool cannot pay its channel's cost is suppressed ({@code budget-exhausted}); the
 * others are charged to their pool as they are claimed (a message claimed again after a worker died is not charged
 * twice; {@link Dispatcher} refunds what is not sent).</li>
 * </ol>
 * Several replicas claim at once without double-counting a customer's cap or a pool's spending: rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, then the claimed customers are locked in id order with transaction-scoped advisory
 * locks, and only then (in a statement with a fresh snapshot) are the caps counted. Quiet hours and missing
 * addresses need the customer's contact and are checked by {@link Dispatcher}.
 */
@ApplicationScoped
public class Safeguards {
    private final DeliveryConfig config;
    private final EventOutbox outbox;

    public Safeguards(DeliveryConfig config, EventOutbox outbox) {
        this.config = config;
        this.outbox = outbox;
    }

    /** Due messages now held by this worker to send; the ones a safeguard stopped are already recorded as suppressed. */
    public Uni<List<MessageRow>> claim(Instant now) {
        Map<String, Object> params = NativeSql.params("now", now.atOffset(ZoneOffset.UTC), "limit", config.batchSize(),
                "lease", (double) config.lease().toSeconds(), "caps", NativeSql.json(config.frequencyCaps().entrySet().stream()
                        .map(e -> Map.of("channel", e.getKey(), "max", e.getValue().max(),
                                "window_seconds", (double) e.getValue().window().toSeconds()))
                        .toList()),
                "costs", NativeSql.json(config.messageCost().entrySet().stream()
                        .map(e -> Map.of("channel", e.getKey(), "cost", e.getValue())).toList()),
                "cadence", NativeSql.json(config.tierCadence().entrySet().stream()
                        .map(e -> Map.of("tier", e.getKey(), "window_seconds", (double) e.getValue().toSeconds())).toList()));
        return NativeSql.list("""
                SELECT id FROM message WHERE status IN ('queued', 'sending') AND not_before <= :now
                    AND (status = 'queued' OR lease_until < :now)
                ORDER BY not_before LIMIT :limit FOR UPDATE SKIP LOCKED""", UUID.class, params)
                .flatMap(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<MessageRow>of()) : decide(NativeSql.with(params, "ids", NativeSql.json(ids)), now));
    }

    private Uni<List<MessageRow>> decide(Map<String, Object> params, Instant now) {
        return NativeSql.list("""
                SELECT count(pg_advisory_xact_lock(hashtextextended(CAST(customer_id AS text), 7))) FROM (
                    SELECT DISTINCT customer_id FROM message
                    WHERE id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x)
                    ORDER BY customer_id) c""", Long.class, params)
                .flatMap(x -> NativeSql.list("""
                        SELECT count(*) FROM (SELECT p.id FROM budget_pool p WHERE p.id IN (
                            SELECT m.budget_pool_id FROM message m
                            WHERE m.id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x))
                            ORDER BY p.id FOR UPDATE) locked""", Long.class, params))
                .flatMap(x -> NativeSql.list("""
                        WITH ids AS (SELECT CAST(x AS uuid) AS id FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x),
                        caps AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:caps AS text) AS jsonb)) AS c(channel text, max integer, window_seconds double precision)),
                        cadence AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:cadence AS text) AS jsonb)) AS c(tier text, window_seconds double precision)),
                        costs AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:costs AS text) AS jsonb)) AS c(channel text, cost numeric)),
                        batch AS (
                            SELECT m.id, m.customer_id, m.channel, m.category, cadence.window_seconds AS cadence_seconds,
                                   m.budget_pool_id AS pool_id, CASE WHEN m.budget_pool_id IS NULL THEN 0 ELSE coalesce(costs.cost, 0) END AS cost,
                                   m.cost AS prev_cost,
                                   sum(CASE WHEN m.budget_pool_id IS NULL THEN 0 ELSE coalesce(costs.cost, 0) END)
                                       OVER (PARTITION BY m.budget_pool_id ORDER BY m.not_before, m.id) AS cum_cost,
                                   row_number() OVER (PARTITION BY m.customer_id, m.channel, m.category ORDER BY m.not_before, m.id) AS nth,
                                   row_number() OVER (PARTITION BY m.customer_id, m.category ORDER BY m.not_before, m.id) AS nth_any
                            FROM message m JOIN ids ON ids.id = m.id
                            LEFT JOIN costs ON costs.channel = m.channel
                            LEFT JOIN audience_customer a ON a.customer_id = m.customer_id
                            LEFT JOIN cadence ON cadence.tier = a.tier),
                        d AS (
                            SELECT b.id, CASE
                                WHEN EXISTS (SELECT 1 FROM retired_customer r WHERE r.customer_id = b.customer_id AND r.reason = 'erased')
                                    THEN 'erased'
                                WHEN b.category = 'marketing' AND mod(mod(hashtextextended(CAST(b.customer_id AS text) || 'global-control', 0), 10000) + 10000, 10000)
                                        < (SELECT CAST(value AS numeric) * 100 FROM campaign_setting WHERE key = 'global-control-percent')
                                    THEN 'global-control'
                                WHEN NOT EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = b.customer_id AND k.channel = b.channel
                                        AND k.purpose = CASE WHEN b.category = 'marketing' THEN 'marketing' ELSE 'service' END
                                        AND k.status = 'granted')
                                    THEN 'no-consent'
                                WHEN b.category = 'marketing' AND b.cadence_seconds IS NOT NULL AND (b.nth_any > 1 OR EXISTS (
                                        SELECT 1 FROM message s WHERE s.customer_id = b.customer_id AND s.category = 'marketing'
                                            AND s.id NOT IN (SELECT id FROM ids) AND (s.status = 'sending' OR (s.status = 'sent'
                                                AND s.sent_at > CAST(:now AS timestamptz) - make_interval(secs => b.cadence_seconds)))))
                                    THEN 'tier-cadence'
                                WHEN b.category = 'marketing' AND caps.max IS NOT NULL AND b.nth + (
                                        SELECT count(*) FROM message s WHERE s.customer_id = b.customer_id AND s.channel = b.channel
                                            AND s.category = 'marketing' AND s.id NOT IN (SELECT id FROM ids)
                                            AND (s.status = 'sending' OR (s.status = 'sent'
                                                AND s.sent_at > CAST(:now AS timestamptz) - make_interval(secs => caps.window_seconds)))) > caps.max
                                    THEN 'frequency-cap'
                                WHEN b.pool_id IS NOT NULL AND (SELECT p.spent - b.prev_cost + b.cum_cost > p.amount FROM budget_pool p WHERE p.id = b.pool_id)
                                    THEN 'budget-exhausted'
                                END AS reason, b.pool_id, b.cost, b.prev_cost
                            FROM batch b LEFT JOIN caps ON caps.channel = b.channel),
                        charged AS (
                            UPDATE budget_pool p SET spent = p.spent + c.total
                            FROM (SELECT pool_id, sum(CASE WHEN reason IS NULL THEN cost ELSE 0 END - prev_cost) AS total FROM d
                                  WHERE pool_id IS NOT NULL GROUP BY pool_id) c
                            WHERE p.id = c.pool_id RETURNING 1)
                        UPDATE message m SET status = CASE WHEN d.reason IS NULL THEN 'sending' ELSE 'suppressed' END,
                            reason = coalesce(d.reason, m.reason),
                            attempts = m.attempts + CASE WHEN d.reason IS NULL THEN 1 ELSE 0 END,
                            lease_until = CASE WHEN d.reason IS NULL THEN CAST(:now AS timestamptz) + make_interval(secs => :lease) END,
                            finished_at = CASE WHEN d.reason IS NOT NULL THEN CAST(:now AS timestamptz) END,
                            cost = CASE WHEN d.reason IS NULL THEN d.cost ELSE 0 END
                        FROM d WHERE m.id = d.id
                        RETURNING %s, d.reason""".formatted(MessageRow.ROW_COLUMNS), Object[].class, params))
                .flatMap(rows -> {
                    List<MessageRow> sendable = rows.stream().filter(r -> r[MessageRow.COLUMNS] == null).map(MessageRow::of).toList();
                    return outbox.recordAll(rows.stream().filter(r -> r[MessageRow.COLUMNS] != null)
                            .map(r -> MessageRow.of(r).suppressed(outbox, (String) r[MessageRow.COLUMNS], now)).toList())
                            .replaceWith(sendable);
                });
    }
}
