package io.custops.segmentation.segments;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobHandler;
import io.custops.platform.jobs.JobStep;
import io.custops.platform.persistence.NativeSql;
import io.custops.segmentation.scoring.CustomerScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Evaluates one rule segment over every customer, in id-ordered slices, after its definition was created or changed. */
@ApplicationScoped
public class SegmentJob implements BatchJobHandler {
    public static final String KIND = "segmentation.segment";

    private final SegmentMembership membership;
    private final Clock clock;
    private final int sliceSize;

    public SegmentJob(SegmentMembership membership, Clock clock,
            @ConfigProperty(name = "custops.scoring.batch-size", defaultValue = "20000") int sliceSize) {
        this.membership = membership;
        this.clock = clock;
        this.sliceSize = sliceSize;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Uni<Long> total(BatchJob job) {
        return NativeSql.single("SELECT count(*) FROM customer_score", Long.class, Map.of());
    }

    @Override
    public Uni<JobStep> step(BatchJob job, String cursor) {
        JsonNode params = Segments.parse(job.params());
        UUID segment = UUID.fromString(params.get("segmentId").asText());
        String cause = params.get("cause").asText();
        UUID after = cursor == null ? CustomerScope.FIRST : UUID.fromString(cursor);
        Instant now = Instant.now(clock);
        return membership.activeRules().flatMap(rules -> {
            var rule = rules.stream().filter(r -> r.id().equals(segment)).findFirst().orElse(null);
            if (rule == null) {
                return Uni.createFrom().item(new JobStep(cursor, 0, 0, true)); // archived meanwhile
            }
            return CustomerScope.sliceEnd(after, sliceSize).flatMap(upto -> {
                CustomerScope slice = CustomerScope.range(after, upto);
                boolean last = upto.equals(CustomerScope.LAST);
                return slice.count()
                        .flatMap(customers -> membership.evaluate(rule, slice, now, cause)
                                .flatMap(counts -> (last ? NativeSql.execute("UPDATE segment SET evaluated_at = now() WHERE id = :id",
                                        Map.of("id", segment)) : Uni.createFrom().item(0))
                                        .map(x -> new JobStep(upto.toString(), customers, counts[0] + counts[1], last))));
            });
        });
    }

}
