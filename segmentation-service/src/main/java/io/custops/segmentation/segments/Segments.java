package io.custops.segmentation.segments;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobs;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.segmentation.rest.dto.MemberPage;
import io.custops.segmentation.rest.dto.MemberUpload;
import io.custops.segmentation.rest.dto.SegmentPreview;
import io.custops.segmentation.rest.dto.SegmentRequest;
import io.custops.segmentation.rest.dto.SegmentResponse;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Segment definitions and their members. Creating or changing a rule segment queues its evaluation over every
 * customer ({@link SegmentJob}); from then on membership follows events in real time and the daily sweep.
 */
@ApplicationScoped
public class Segments {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final int MAX_UPLOAD = 100_000;
    private static final String COLUMNS = """
            id, name, description, kind, CAST(definition AS text), version, state,
            (SELECT count(*) FROM segment_member m WHERE m.segment_id = segment.id), evaluated_at, created_at, created_by,
            updated_at, updated_by""";

    private final SegmentMembership membership;
    private final BatchJobs jobs;
    private final Clock clock;

    public Segments(SegmentMembership membership, BatchJobs jobs, Clock clock) {
        this.membership = membership;
        this.jobs = jobs;
        this.clock = clock;
    }

    public Uni<SegmentResponse> create(SegmentRequest request, String actor) {
        validate(request);
        UUID id = UUID.randomUUID();
        return Panache.withTransaction(() -> NativeSql.execute("""
                INSERT INTO segment (id, name, description, kind, definition, created_at, created_by, updated_at, updated_by)
                SELECT :id, :name, :description, :kind, CAST(CAST(:definition AS text) AS jsonb), now(), :actor, now(), :actor
                WHERE NOT EXISTS (SELECT 1 FROM segment WHERE lower(name) = lower(:name) AND state = 'active')""",
                NativeSql.params("id", id, "name", request.name().strip(), "description", request.description(),
                        "kind", request.kind(), "definition", definitionText(request), "actor", actor))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("A segment named '" + request.name().strip() + "' exists already.");
                    }
                    return evaluation(id, request.kind(), "definition");
                })
                .flatMap(job -> find(id).map(s -> withJob(s, job))));
    }

    /** Replaces name, description and definition; a new definition version is evaluated over every customer. */
    public Uni<SegmentResponse> update(UUID id, SegmentRequest request, String actor) {
        validate(request);
        return Panache.withTransaction(() -> find(id).flatMap(current -> {
            if (!current.kind().equals(request.kind())) {
                throw ProblemException.badRequest("A segment's kind cannot change.", List.of(new Problem.FieldError("kind",
                        "must stay " + current.kind())));
            }
            return NativeSql.execute("""
                    UPDATE segment SET name = :name, description = :description,
                        definition = CAST(CAST(:definition AS text) AS jsonb),
                        version = version + CASE WHEN definition IS DISTINCT FROM CAST(CAST(:definition AS text) AS jsonb) THEN 1 ELSE 0 END,
                        updated_at = now(), updated_by = :actor
                    WHERE id = :id AND state = 'active'
                      AND NOT EXISTS (SELECT 1 FROM segment o WHERE lower(o.name) = lower(:name) AND o.state = 'active' AND o.id <> :id)""",
                    NativeSql.params("id", id, "name", request.name().strip(), "description", request.description(),
                            "definition", definitionText(request), "actor", actor))
                    .flatMap(updated -> {
                        if (updated == 0) {
                            throw ProblemException.conflict("The segment is archived, or another active segment is named '"
                                    + request.name().strip() + "'.");
                        }
                        return evaluation(id, current.kind(), "definition");
                    })
                    .flatMap(job -> find(id).map(s -> withJob(s, job)));
        }));
    }

    /** Archives the segment: every member exits (announced) and the name is free again. */
    public Uni<Void> archive(UUID id, String actor) {
        Instant now = Instant.now(clock);
        return Panache.withTransaction(() -> find(id).flatMap(segment -> membership.apply(id, segment.name(),
                "SELECT NULL::uuid AS customer_id WHERE FALSE", "TRUE", Map.of(), now, "definition")
                .flatMap(x -> NativeSql.execute("UPDATE segment SET state = 'archived', updated_at = now(), updated_by = :actor"
                        + " WHERE id = :id", NativeSql.params("id", id, "actor", actor)))
                .replaceWithVoid()));
    }

    public Uni<SegmentResponse> get(UUID id) {
        return Panache.withSession(() -> find(id));
    }

    /** Active segments by name, or archived ones too. */
    public Uni<List<SegmentResponse>> list(boolean includeArchived) {
        return Panache.withSession(() -> NativeSql.list("SELECT " + COLUMNS + " FROM segment WHERE state = 'active' OR :archived"
                + " ORDER BY lower(name), id", Object[].class, Map.of("archived", includeArchived))
                .map(rows -> rows.stream().map(Segments::toResponse).toList()));
    }

    public Uni<SegmentPreview> preview(JsonNode definition) {
        SegmentCompiler.Compiled compiled = SegmentCompiler.compile(definition);
        Map<String, Object> params = NativeSql.with(compiled.params(), "now", Instant.now(clock).atOffset(java.time.ZoneOffset.UTC));
        return Panache.withSession(() -> NativeSql.single("SELECT count(*) FROM customer_score s WHERE " + compiled.predicate(),
                Long.class, params)
                .flatMap(count -> NativeSql.list("SELECT s.customer_id FROM customer_score s WHERE " + compiled.predicate()
                        + " ORDER BY s.customer_id LIMIT 20", UUID.class, params)
                        .map(sample -> new SegmentPreview(count, sample))));
    }

    public Uni<MemberPage> members(UUID id, UUID after, int limit) {
        return Panache.withSession(() -> find(id).flatMap(segment -> page(id, after, limit)));
    }

    /** One page of members after {@code after}, in the current session. */
    public Uni<MemberPage> page(UUID id, UUID after, int limit) {
        return NativeSql.list("SELECT customer_id, entered_at FROM segment_member WHERE segment_id = :id AND customer_id > :after"
                + " ORDER BY customer_id LIMIT :limit", Object[].class,
                Map.of("id", id, "after", after == null ? new UUID(0, 0) : after, "limit", limit))
                .map(rows -> {
                    List<MemberPage.Member> items = rows.stream()
                            .map(r -> new MemberPage.Member((UUID) r[0], NativeSql.instant(r[1]))).toList();
                    return new MemberPage(items, items.size() < limit ? null : items.get(items.size() - 1).customerId());
                });
    }

    /** Sets, adds or removes the members of a static segment. */
    public Uni<MemberUpload.Result> upload(UUID id, MemberUpload upload) {
        String mode = upload.mode() == null ? "replace" : upload.mode();
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!List.of("replace", "add", "remove").contains(mode)) {
            errors.add(new Problem.FieldError("mode", "must be replace, add or remove"));
        }
        if (upload.customerIds() == null || upload.customerIds().size() > MAX_UPLOAD
                || upload.customerIds().stream().anyMatch(java.util.Objects::isNull)) {
            errors.add(new Problem.FieldError("customerIds", "must be a list of at most " + MAX_UPLOAD + " customer ids"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The member upload is not valid.", errors);
        }
        Instant now = Instant.now(clock);
        String ids = NativeSql.json(upload.customerIds());
        String wanted = "SELECT s.customer_id FROM customer_score s WHERE s.customer_id IN"
                + " (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x)";
        return Panache.withTransaction(() -> find(id).flatMap(segment -> {
            if (!segment.kind().equals("static")) {
                throw ProblemException.conflict("Members are uploaded to static segments only; this one follows its rule.");
            }
            String matched = mode.equals("remove") ? "SELECT NULL::uuid AS customer_id WHERE FALSE" : wanted;
            String exitScope = switch (mode) {
                case "replace" -> "TRUE";
                case "add" -> "FALSE";
                default -> "m.customer_id IN (" + wanted + ")";
            };
            return membership.apply(id, segment.name(), matched, exitScope, Map.of("ids", ids), now, "upload")
                    .flatMap(counts -> NativeSql.single("SELECT count(DISTINCT x) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text)"
                            + " AS jsonb)) x WHERE NOT EXISTS (SELECT 1 FROM customer_score s WHERE s.customer_id = CAST(x AS uuid))",
                            Long.class, Map.of("ids", ids))
                            .map(unknown -> new MemberUpload.Result(counts[0], counts[1], unknown)));
        }));
    }

    /** The segment, active or archived, or a 404 problem; in the current session. */
    Uni<SegmentResponse> find(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM segment WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Segments::toResponse)
                        .orElseThrow(() -> ProblemException.notFound("No segment " + id + ".")));
    }

    private Uni<BatchJob> evaluation(UUID id, String kind, String cause) {
        return kind.equals("rule") ? jobs.queue(SegmentJob.KIND, "evaluate segment " + id,
                "{\"segmentId\":\"" + id + "\",\"cause\":\"" + cause + "\"}") : Uni.createFrom().nullItem();
    }

    private static void validate(SegmentRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("A segment is required.", List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request.name() == null || request.name().isBlank() || request.name().strip().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (request.description() != null && request.description().length() > 2000) {
            errors.add(new Problem.FieldError("description", "must be at most 2000 characters"));
        }
        if (!"rule".equals(request.kind()) && !"static".equals(request.kind())) {
            errors.add(new Problem.FieldError("kind", "must be rule or static"));
        } else if ("static".equals(request.kind()) && request.definition() != null && !request.definition().isNull()) {
            errors.add(new Problem.FieldError("definition", "a static segment has no definition"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The segment is not valid.", errors);
        }
        if ("rule".equals(request.kind())) {
            SegmentCompiler.compile(request.definition());
        }
    }

    private static String definitionText(SegmentRequest request) {
        return "rule".equals(request.kind()) ? request.definition().toString() : null;
    }

    private static SegmentResponse withJob(SegmentResponse s, BatchJob job) {
        return new SegmentResponse(s.id(), s.name(), s.description(), s.kind(), s.definition(), s.version(), s.state(),
                s.members(), s.timeRelative(), s.evaluatedAt(), s.createdAt(), s.createdBy(), s.updatedAt(), s.updatedBy(), job);
    }

    private static SegmentResponse toResponse(Object[] r) {
        JsonNode definition = r[4] == null ? null : parse((String) r[4]);
        return new SegmentResponse((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], definition,
                ((Number) r[5]).intValue(), (String) r[6], ((Number) r[7]).longValue(),
                definition != null && SegmentCompiler.compile(definition).timeRelative(), NativeSql.instant(r[8]),
                NativeSql.instant(r[9]), (String) r[10], NativeSql.instant(r[11]), (String) r[12], null);
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored segment definition is not JSON", e);
        }
    }
}
