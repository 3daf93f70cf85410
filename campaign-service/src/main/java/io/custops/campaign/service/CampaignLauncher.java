package io.custops.campaign.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.events.EventType;
import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobHandler;
import io.custops.platform.jobs.BatchJobs;
import io.custops.platform.jobs.JobStep;
import io.custops.platform.outbox.EventSource;
import io.custops.platform.persistence.NativeSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts due campaigns and finishes sent ones. At its send time a campaign's audience is snapshotted by a job: the
 * segment's members become queued messages in id-ordered slices of {@code custops.campaigns.snapshot-slice}, each
 * due at the campaign's start plus its place in line at the campaign's rate — the throttle is the schedule itself,
 * so nothing waits in memory and every replica's delivery worker shares the work. A member who is a merged id is
 * sent to the survivor; a member who is in the audience twice (through a merge) gets one message. An A/B test assigns
 * each member by a hash of customer and campaign to the control group (no message) or a variant (its template),
 * records the assignment and publishes VariantAssigned, all in the slice's statement.
 */
@ApplicationScoped
public class CampaignLauncher implements BatchJobHandler {
    public static final String KIND = "campaign.launch";

    private static final int BUCKETS = 10_000;

    private final BatchJobs jobs;
    private final EventSource source;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final int slice;

    public CampaignLauncher(BatchJobs jobs, EventSource source, com.fasterxml.jackson.databind.ObjectMapper mapper,
            @ConfigProperty(name = "custops.campaigns.snapshot-slice", defaultValue = "10000") int slice) {
        this.jobs = jobs;
        this.source = source;
        this.mapper = mapper;
        this.slice = slice;
    }

    @Scheduled(every = "${custops.campaigns.poll-interval:2s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> launchAndFinish() {
        return Panache.withTransaction(() -> NativeSql.list("""
                UPDATE campaign SET status = 'snapshotting', started_at = now(), version = version + 1, updated_at = now()
                WHERE id IN (SELECT id FROM campaign WHERE status = 'scheduled' AND send_at <= now()
                             ORDER BY send_at FOR UPDATE SKIP LOCKED LIMIT 20)
                RETURNING id""", UUID.class, Map.of())
                .flatMap(started -> queueAll(started))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE campaign c SET status = 'completed', finished_at = now(), version = version + 1, updated_at = now()
                        WHERE c.status = 'sending' AND NOT EXISTS (SELECT 1 FROM message m WHERE m.campaign_id = c.id
                            AND m.status IN ('queued', 'sending'))""", Map.of())))
                .replaceWithVoid();
    }

    private Uni<Void> queueAll(List<UUID> campaigns) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID campaign : campaigns) {
            chain = chain.flatMap(x -> jobs.queue(KIND, "campaign " + campaign + " is due", "{\"campaign\":\"" + campaign + "\"}"))
                    .replaceWithVoid();
        }
        return chain;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Uni<Long> total(BatchJob job) {
        return NativeSql.single("SELECT count(*) FROM segment_member sm JOIN campaign c ON c.segment_id = sm.segment_id WHERE c.id = :id",
                Long.class, Map.of("id", campaign(job)));
    }

    /** Cursor {@code <members so far>|<last member id>}. */
    @Override
    public Uni<JobStep> step(BatchJob job, String cursor) {
        UUID campaign = campaign(job);
        long offset = cursor == null ? 0 : Long.parseLong(cursor.substring(0, cursor.indexOf('|')));
        UUID after = cursor == null ? new UUID(0, 0) : UUID.fromString(cursor.substring(cursor.indexOf('|') + 1));
        Instant now = Instant.now();
        return NativeSql.list("SELECT template_id, CAST(variants AS text), holdout_percent FROM campaign WHERE id = :id", Object[].class,
                Map.of("id", campaign))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return Uni.createFrom().item(new JobStep("0|" + after, 0, 0, true));
                    }
                    Object[] c = found.get(0);
                    List<Map<String, Object>> ranges = ranges((UUID) c[0], variants((String) c[1]), new BigDecimal(c[2].toString()));
                    return snapshot(campaign, after, offset, ranges, ranges.size() > 1, now);
                });
    }

    /**
     * Each variant's share of the hash space 0–9999 (the control group first, then the variants by weight); one range
     * covering everything for a campaign without a test.
     */
    private JsonNode variants(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> ranges(UUID template, JsonNode variantsJson, BigDecimal holdoutPercent) {
        List<Map<String, Object>> ranges = new ArrayList<>();
        int control = holdoutPercent.multiply(BigDecimal.valueOf(100)).intValue();
        List<Map.Entry<String, Map.Entry<UUID, Integer>>> variants = new ArrayList<>();
        if (variantsJson != null) {
            for (JsonNode v : variantsJson) {
                variants.add(Map.entry(v.get("name").asText(), Map.entry(UUID.fromString(v.get("templateId").asText()), v.path("weight").asInt(1))));
            }
        } else if (control > 0) {
            variants.add(Map.entry("treatment", Map.entry(template, 1)));
        }
        if (variants.isEmpty()) {
            ranges.add(NativeSql.params("name", null, "template_id", template, "lo", 0, "hi", BUCKETS));
            return ranges;
        }
        if (control > 0) {
            ranges.add(NativeSql.params("name", "control", "template_id", null, "lo", 0, "hi", control));
        }
        int total = variants.stream().mapToInt(v -> v.getValue().getValue()).sum();
        int lo = control;
        int given = 0;
        for (int i = 0; i < variants.size(); i++) {
            given += variants.get(i).getValue().getValue();
            int hi = i == variants.size() - 1 ? BUCKETS : control + (int) ((long) (BUCKETS - control) * given / total);
            ranges.add(NativeSql.params("name", variants.get(i).getKey(), "template_id", variants.get(i).getValue().getKey(), "lo", lo, "hi", hi));
            lo = hi;
        }
        return ranges;
    }

    private Uni<JobStep> snapshot(UUID campaign, UUID after, long offset, List<Map<String, Object>> ranges, boolean experiment, Instant now) {
        return NativeSql.list("""
                WITH c AS (SELECT c.*, t.channel, t.category FROM campaign c JOIN template t ON t.id = c.template_id
                           WHERE c.id = :campaign AND c.status = 'snapshotting' FOR UPDATE OF c),
                ranges AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:ranges AS text) AS jsonb)) AS r(name text, template_id uuid, lo integer, hi integer)),
                members AS (SELECT sm.customer_id FROM segment_member sm JOIN c ON c.segment_id = sm.segment_id
                            WHERE sm.customer_id > :after ORDER BY sm.customer_id LIMIT :slice),
                numbered AS (SELECT coalesce(r.survivor_id, m.customer_id) AS customer_id, m.customer_id AS member,
                                    :offset + row_number() OVER (ORDER BY m.customer_id) AS n,
                                    mod(mod(hashtextextended(CAST(coalesce(r.survivor_id, m.customer_id) AS text) || CAST(CAST(:campaign AS uuid) AS text), 0), 10000) + 10000, 10000) AS bucket
                             FROM members m LEFT JOIN retired_customer r ON r.customer_id = m.customer_id AND r.reason = 'merged'),
                assigned AS (SELECT n.*, g.name AS variant, g.template_id FROM numbered n JOIN ranges g ON n.bucket >= g.lo AND n.bucket < g.hi),
                recorded AS (INSERT INTO experiment_assignment (experiment_id, step, customer_id, variant, assigned_at)
                             SELECT DISTINCT ON (customer_id) :campaign, '', customer_id, variant, CAST(:now AS timestamptz) FROM assigned
                             WHERE CAST(:experiment AS boolean) ORDER BY customer_id
                             ON CONFLICT DO NOTHING RETURNING customer_id, variant),
                announced AS (INSERT INTO outbox_event (event_id, type, topic, subject, source, occurred_at, data)
                              SELECT gen_random_uuid(), :variantType, :topic, CAST(customer_id AS text), :source, CAST(:now AS timestamptz),
                                     CAST(jsonb_build_object('customerId', customer_id, 'experimentId', CAST(:campaign AS uuid),
                                         'experimentKind', 'campaign', 'step', NULL, 'variant', variant, 'assignedAt', CAST(:nowText AS text),
                                         'plannedShare', (SELECT round((g.hi - g.lo) / 10000.0, 4) FROM ranges g WHERE g.name = recorded.variant)) AS text)
                              FROM recorded ORDER BY customer_id RETURNING 1),
                inserted AS (
                    INSERT INTO message (id, customer_id, channel, category, template_id, campaign_id, budget_pool_id, variant, dedupe_key,
                        data, status, not_before, created_by, created_at)
                    SELECT gen_random_uuid(), a.customer_id, c.channel, c.category, a.template_id, c.id, c.budget_pool_id, a.variant,
                           'campaign:' || c.id, c.data, 'queued',
                           c.started_at + make_interval(secs => (a.n - 1) * 60.0 / c.rate_per_minute), c.created_by, now()
                    FROM assigned a CROSS JOIN c
                    WHERE a.variant IS DISTINCT FROM 'control'
                    ORDER BY a.n
                    ON CONFLICT (customer_id, dedupe_key) WHERE status <> 'suppressed' DO NOTHING
                    RETURNING 1)
                SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM members), (SELECT count(*) FROM inserted),
                       (SELECT CAST(customer_id AS text) FROM members ORDER BY customer_id DESC LIMIT 1), (SELECT count(*) FROM announced)""",
                Object[].class,
                NativeSql.params("campaign", campaign, "after", after, "slice", slice, "offset", offset, "ranges", NativeSql.json(ranges),
                        "experiment", experiment, "now", now.atOffset(ZoneOffset.UTC), "nowText", now.toString(),
                        "variantType", EventType.VARIANT_ASSIGNED.type(), "topic", EventType.VARIANT_ASSIGNED.topic(), "source", source.uri()))
                .flatMap(rows -> {
                    Object[] r = rows.get(0);
                    long members = ((Number) r[1]).longValue();
                    long inserted = ((Number) r[2]).longValue();
                    if (((Number) r[0]).longValue() == 0) { // cancelled meanwhile
                        return Uni.createFrom().item(new JobStep("0|" + after, 0, 0, true));
                    }
                    if (members == slice) {
                        return Uni.createFrom().item(new JobStep((offset + members) + "|" + r[3], members, inserted, false));
                    }
                    return NativeSql.execute("""
                            UPDATE campaign SET status = 'sending', audience = :audience, version = version + 1, updated_at = now()
                            WHERE id = :campaign AND status = 'snapshotting'""", Map.of("campaign", campaign, "audience", offset + members))
                            .replaceWith(new JobStep((offset + members) + "|" + (r[3] == null ? after : r[3]), members, inserted, true));
                });
    }

    private static UUID campaign(BatchJob job) {
        return UUID.fromString(job.params().replaceAll(".*\"campaign\":\"([0-9a-f-]+)\".*", "$1"));
    }
}
