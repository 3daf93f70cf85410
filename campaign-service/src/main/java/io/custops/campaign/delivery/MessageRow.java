package io.custops.campaign.delivery;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import io.custops.events.EventType;
import io.custops.events.payload.MessageFailed;
import io.custops.events.payload.MessageSent;
import io.custops.events.payload.MessageSuppressed;
import io.custops.events.payload.Money;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.outbox.OutboxEvent;

/**
 * A message as the delivery worker handles it; {@code data} is the send data as JSON text; {@code cost} is what it is
 * charged to {@code budgetPoolId}, in that pool's {@code costCurrency}.
 */
public record MessageRow(UUID id, UUID customerId, String channel, String category, UUID templateId, UUID campaignId,
        String data, int attempts, BigDecimal cost, UUID budgetPoolId, String costCurrency) {

    public static final String ROW_COLUMNS = "m.id, m.customer_id, m.channel, m.category, m.template_id, m.campaign_id,"
            + " CAST(m.data AS text), m.attempts, m.cost, m.budget_pool_id, (SELECT bp.currency FROM budget_pool p"
            + " JOIN budget_period bp ON bp.id = p.period_id WHERE p.id = m.budget_pool_id)";
    /** How many columns {@link #ROW_COLUMNS} selects: statements' own columns follow from this index. */
    public static final int COLUMNS = 11;

    /** A row selected with {@link #ROW_COLUMNS} first. */
    public static MessageRow of(Object[] r) {
        return new MessageRow((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (UUID) r[4], (UUID) r[5], (String) r[6],
                ((Number) r[7]).intValue(), r[8] == null ? null : new BigDecimal(r[8].toString()), (UUID) r[9],
                r[10] == null ? null : r[10].toString().trim());
    }

    public boolean marketing() {
        return "marketing".equals(category);
    }

    public OutboxEvent sent(EventOutbox outbox, Instant at) {
        return outbox.prepare(EventType.MESSAGE_SENT, customerId,
                new MessageSent(customerId, id, channel, category, templateId, campaignId, at,
                        budgetPoolId == null || costCurrency == null ? null
                                : Money.of(cost.setScale(4, java.math.RoundingMode.HALF_UP), costCurrency), budgetPoolId));
    }

    public OutboxEvent failed(EventOutbox outbox, String error, Instant at) {
        return outbox.prepare(EventType.MESSAGE_FAILED, customerId,
                new MessageFailed(customerId, id, channel, category, templateId, campaignId, error, Math.max(1, attempts), at));
    }

    public OutboxEvent suppressed(EventOutbox outbox, String reason, Instant at) {
        return outbox.prepare(EventType.MESSAGE_SUPPRESSED, customerId,
                new MessageSuppressed(customerId, id, channel, category, templateId, campaignId, reason, at));
    }
}
