package io.custops.campaign.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobHandler;
import io.custops.platform.jobs.BatchJobs;
import io.custops.platform.jobs.JobStep;
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
 * sent to the survivor; a member who is in the audience twice (through a merge) gets one message.
 */
@ApplicationScoped
public class CampaignLauncher implements BatchJobHandler {
    public static final String KIND = "campaign.launch";

    private final BatchJobs jobs;
    private final int slice;

    public CampaignLauncher(BatchJobs jobs, @ConfigProperty(name = "custops.campaigns.snapshot-slice", defaultValue = "10000") int slice) {
        this.jobs = jobs;
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
        return NativeSql.list("""
                WITH c AS (SELECT c.*, t.channel, t.category FROM campaign c JOIN template t ON t.id = c.template_id
                           WHERE c.id = :campaign AND c.status = 'snapshotting' FOR UPDATE OF c),
                members AS (SELECT sm.customer_id FROM segment_member sm JOIN c ON c.segment_id = sm.segment_id
                            WHERE sm.customer_id > :after ORDER BY sm.customer_id LIMIT :slice),
                numbered AS (SELECT customer_id, :offset + row_number() OVER (ORDER BY customer_id) AS n FROM members),
                inserted AS (
                    INSERT INTO message (id, customer_id, channel, category, template_id, campaign_id, dedupe_key, data, status,
                        not_before, created_by, created_at)
                    SELECT gen_random_uuid(), coalesce(r.survivor_id, n.customer_id), c.channel, c.category, c.template_id, c.id,
                           'campaign:' || c.id, c.data, 'queued',
                           c.started_at + make_interval(secs => (n.n - 1) * 60.0 / c.rate_per_minute), c.created_by, now()
                    FROM numbered n CROSS JOIN c
                    LEFT JOIN retired_customer r ON r.customer_id = n.customer_id AND r.reason = 'merged'
                    ORDER BY n.n
                    ON CONFLICT (customer_id, dedupe_key) WHERE status <> 'suppressed' DO NOTHING
                    RETURNING 1)
                SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM members), (SELECT count(*) FROM inserted),
                       (SELECT CAST(customer_id AS text) FROM members ORDER BY customer_id DESC LIMIT 1)""", Object[].class,
                NativeSql.params("campaign", campaign, "after", after, "slice", slice, "offset", offset))
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
                            UPDATE campaign SET status = 'sending', audience = (SELECT count(*) FROM message WHERE campaign_id = :campaign),
                                version = version + 1, updated_at = now()
                            WHERE id = :campaign AND status = 'snapshotting'""", Map.of("campaign", campaign))
                            .replaceWith(new JobStep((offset + members) + "|" + (r[3] == null ? after : r[3]), members, inserted, true));
                });
    }

    private static UUID campaign(BatchJob job) {
        return UUID.fromString(job.params().replaceAll(".*\"campaign\":\"([0-9a-f-]+)\".*", "$1"));
    }
}
