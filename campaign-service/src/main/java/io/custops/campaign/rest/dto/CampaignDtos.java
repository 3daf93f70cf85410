package io.custops.campaign.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One-off broadcasts as the API shows them. */
public final class CampaignDtos {
    private CampaignDtos() {
    }

    /**
     * A broadcast of a template to a segment's members; {@code data} is what the template reads under {@code data.*};
     * {@code ratePerMinute} spaces the sends (default 6000); {@code budgetPoolId} is the budget pool it draws on, if any.
     */
    public record CampaignRequest(String name, UUID templateId, UUID segmentId, Map<String, Object> data, Integer ratePerMinute,
            UUID budgetPoolId, List<Variant> variants, BigDecimal holdoutPercent) {
    }

    /**
     * An A/B test's variant: its name, template and weight. Customers are assigned deterministically (a hash of the
     * customer and the campaign); {@code holdoutPercent} of them form the control group and get nothing.
     */
    public record Variant(String name, UUID templateId, Integer weight) {
    }

    /** One variant's (or the control group's) results. */
    public record VariantStatistics(String variant, long assigned, long sent, long opened, long clicked, long converted,
            Map<String, BigDecimal> revenue) {
    }

    /** When to send: {@code sendAt} in the future, or now when absent. */
    public record ScheduleRequest(Instant sendAt) {
    }

    /**
     * Where a campaign's messages stand. {@code audience} is the segment's size when it was snapshotted;
     * {@code suppressed} counts by reason. Conversions are orders that followed an open or click within the
     * attribution window, with their revenue per currency; {@code spend} is what its sent messages cost its budget pool, and
 * {@code roi} = (revenue in the budget's currency − spend) ÷ spend; {@code delivered} counts providers' receipts.
     */
    public record Statistics(long queued, long sending, long sent, long delivered, long failed, long cancelled, Map<String, Long> suppressed,
            long opened, long clicked, long unsubscribed, long converted, Map<String, BigDecimal> revenue, BigDecimal spend, BigDecimal roi,
            List<VariantStatistics> variants) {
    }

    public record CampaignView(UUID id, String name, UUID templateId, UUID segmentId, UUID budgetPoolId, List<Variant> variants,
            BigDecimal holdoutPercent, String winner, Map<String, Object> data, String status,
            Instant sendAt, int ratePerMinute, Long audience, Instant startedAt, Instant pausedAt, Instant finishedAt, long version,
            String createdBy, Instant createdAt, Statistics statistics) {
    }
}
