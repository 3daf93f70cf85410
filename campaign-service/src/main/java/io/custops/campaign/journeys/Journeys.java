package io.custops.campaign.journeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.campaign.budgets.Budgets;
import io.custops.campaign.rest.dto.JourneyDtos.InstanceView;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyRequest;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyView;
import io.custops.campaign.rest.dto.JourneyDtos.Statistics;
import io.custops.campaign.rest.dto.JourneyDtos.StepLog;
import io.custops.campaign.service.Templates;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Journeys and their versions: every change of definition is a new version, and customers in flight finish on the
 * version they entered. draft → active ↔ paused; anything → archived (customers in flight exit).
 */
@ApplicationScoped
public class Journeys {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COLUMNS = "j.id, j.name, j.description, j.status, j.version, CAST(v.definition AS text), j.created_by,"
            + " j.created_at, j.updated_at, j.budget_pool_id";

    private final Templates templates;
    private final ActiveJourneys active;
    private final JourneyDates dates;

    private final Budgets budgets;

    public Journeys(Templates templates, ActiveJourneys active, JourneyDates dates, Budgets budgets) {
        this.templates = templates;
        this.budgets = budgets;
        this.active = active;
        this.dates = dates;
    }

    public Uni<JourneyView> create(JourneyRequest request, String actor) {
        UUID id = UUID.randomUUID();
        return validate(request).flatMap(x -> NativeSql.execute("""
                INSERT INTO journey (id, name, description, status, version, created_by, created_at, updated_at, budget_pool_id)
                VALUES (:id, :name, :description, 'draft', 1, :actor, now(), now(), :pool) ON CONFLICT DO NOTHING""",
                NativeSql.params("id", id, "name", request.name().trim(), "description", request.description(), "actor", actor,
                        "pool", request.budgetPoolId())))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("A journey named '" + request.name().trim() + "' exists already.");
                    }
                    return addVersion(id, 1, request.definition(), actor);
                })
                .flatMap(x -> get(id));
    }

    /** A new version of the definition (and the name); customers in flight stay on theirs. */
    public Uni<JourneyView> update(UUID id, JourneyRequest request, String actor) {
        if (request != null && request.version() == null) {
            throw ProblemException.badRequest("The journey's current version is required.",
                    List.of(new Problem.FieldError("version", "is required: the version you read")));
        }
        return validate(request).flatMap(x -> NativeSql.execute("""
                UPDATE journey SET version = version + 1, name = :name, description = :description, budget_pool_id = :pool, updated_at = now()
                WHERE id = :id AND version = :version AND status <> 'archived'""", NativeSql.params("id", id, "name", request.name().trim(),
                "description", request.description(), "version", request.version(), "pool", request.budgetPoolId())))
                .flatMap(updated -> {
                    if (updated == 0) {
                        return get(id).map(j -> {
                            throw ProblemException.conflict("Journey " + id + " is at version " + j.version() + " (or archived); read it again.");
                        });
                    }
                    return addVersion(id, request.version() + 1, request.definition(), actor).flatMap(v -> get(id));
                })
                .invoke(active::changed);
    }

    public Uni<JourneyView> activate(UUID id) {
        return transition(id, Set.of("draft", "paused"), "active").invoke(active::changed)
                .call(journey -> dates.sweep(journey.id(), JourneyDefinition.of(journey.definition()), journey.version()));
    }

    public Uni<JourneyView> pause(UUID id) {
        return transition(id, Set.of("active"), "paused").invoke(active::changed);
    }

    /** Archives the journey; its customers in flight exit. */
    public Uni<JourneyView> archive(UUID id) {
        return transition(id, Set.of("draft", "active", "paused"), "archived").invoke(active::changed)
                .call(j -> NativeSql.execute("""
                        UPDATE journey_instance SET status = 'exited', reason = 'journey archived', finished_at = now(), waiting_event = NULL
                        WHERE journey_id = :id AND status = 'active'""", Map.of("id", id)));
    }

    /** A significant winner of a split: every customer reaching the step from now on takes its branch (first verdict wins). */
    public Uni<Void> promote(UUID journey, String step, String winner) {
        return NativeSql.execute("""
                INSERT INTO journey_winner (journey_id, step, variant, promoted_at)
                SELECT id, :step, :winner, now() FROM journey WHERE id = :journey ON CONFLICT DO NOTHING""",
                Map.of("journey", journey, "step", step, "winner", winner)).replaceWithVoid();
    }

    private Uni<JourneyView> transition(UUID id, Set<String> from, String to) {
        return NativeSql.execute("UPDATE journey SET status = :to, updated_at = now() WHERE id = :id"
                + " AND status IN (SELECT jsonb_array_elements_text(CAST(CAST(:from AS text) AS jsonb)))",
                NativeSql.params("id", id, "to", to, "from", NativeSql.json(List.copyOf(from))))
                .flatMap(updated -> get(id).map(journey -> {
                    if (updated == 0) {
                        throw ProblemException.conflict("Journey " + id + " is " + journey.status() + ": it cannot become " + to + ".");
                    }
                    return journey;
                }));
    }

    public Uni<JourneyView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM journey j JOIN journey_version v ON v.journey_id = j.id AND v.version = j.version"
                + " WHERE j.id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().orElseThrow(() -> ProblemException.notFound("No journey " + id + ".")))
                .flatMap(row -> statistics(id).map(stats -> view(row, stats)));
    }

    /** One version's definition, as customers on it follow it. */
    public Uni<JsonNode> version(UUID id, int version) {
        return NativeSql.list("SELECT CAST(definition AS text) FROM journey_version WHERE journey_id = :id AND version = :version",
                String.class, Map.of("id", id, "version", version))
                .map(rows -> rows.stream().findFirst().map(Journeys::json)
                        .orElseThrow(() -> ProblemException.notFound("Journey " + id + " has no version " + version + ".")));
    }

    public Uni<List<JourneyView>> list(String status) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM journey j JOIN journey_version v ON v.journey_id = j.id AND v.version = j.version"
                + " WHERE CAST(:status AS text) IS NULL OR j.status = :status ORDER BY lower(j.name) LIMIT 500", Object[].class,
                NativeSql.params("status", status))
                .map(rows -> rows.stream().map(r -> view(r, null)).toList());
    }

    /** A customer's way through journeys (or everyone's in one journey), newest first, with each step's outcome. */
    public Uni<List<InstanceView>> instances(UUID journeyId, UUID customerId, int limit) {
        return NativeSql.list("""
                SELECT i.id, i.journey_id, i.version, i.customer_id, i.status, i.step_id, i.due_at, i.waiting_event, i.variant, i.reason,
                       i.entered_at, i.finished_at,
                       (SELECT CAST(coalesce(jsonb_agg(jsonb_build_object('at', l.at, 'stepId', l.step_id, 'outcome', l.outcome) ORDER BY l.at), '[]') AS text)
                        FROM journey_step_log l WHERE l.instance_id = i.id)
                FROM journey_instance i
                WHERE (CAST(:journey AS uuid) IS NULL OR i.journey_id = :journey) AND (CAST(:customer AS uuid) IS NULL OR i.customer_id = :customer)
                ORDER BY i.entered_at DESC, i.id LIMIT :limit""", Object[].class,
                NativeSql.params("journey", journeyId, "customer", customerId, "limit", limit))
                .map(rows -> rows.stream().map(r -> {
                    List<StepLog> history = new ArrayList<>();
                    for (JsonNode log : json((String) r[12])) {
                        history.add(new StepLog(NativeSql.instant(java.time.OffsetDateTime.parse(log.get("at").asText())),
                                log.get("stepId").asText(), log.get("outcome").asText()));
                    }
                    return new InstanceView((UUID) r[0], (UUID) r[1], ((Number) r[2]).intValue(), (UUID) r[3], (String) r[4], (String) r[5],
                            NativeSql.instant(r[6]), (String) r[7], (String) r[8], (String) r[9], NativeSql.instant(r[10]),
                            NativeSql.instant(r[11]), history);
                }).toList());
    }

    private Uni<Void> validate(JourneyRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.badRequest("A journey is required.", List.of());
        }
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        errors.addAll(JourneyDefinition.problems(request.definition()));
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The journey has invalid fields.", errors);
        }
        Uni<Void> chain = budgets.requirePool(request.budgetPoolId(), "budgetPoolId");
        for (UUID template : JourneyDefinition.of(request.definition()).templates()) {
            chain = chain.flatMap(x -> templates.usable(template).replaceWithVoid());
        }
        return chain;
    }

    private Uni<Integer> addVersion(UUID id, int version, JsonNode definition, String actor) {
        return NativeSql.execute("""
                INSERT INTO journey_version (journey_id, version, definition, created_by, created_at)
                VALUES (:id, :version, CAST(CAST(:definition AS text) AS jsonb), :actor, now())""",
                NativeSql.params("id", id, "version", version, "definition", definition.toString(), "actor", actor));
    }

    private Uni<Statistics> statistics(UUID id) {
        Map<String, Object> params = Map.of("id", id);
        return NativeSql.list("""
                SELECT 'status', status, count(*) FROM journey_instance WHERE journey_id = :id GROUP BY status
                UNION ALL
                SELECT 'at', coalesce(step_id, '(end)'), count(*) FROM journey_instance WHERE journey_id = :id AND status = 'active' GROUP BY step_id
                UNION ALL
                SELECT l.step_id, l.outcome, count(*) FROM journey_step_log l JOIN journey_instance i ON i.id = l.instance_id
                WHERE i.journey_id = :id GROUP BY l.step_id, l.outcome
                UNION ALL
                SELECT 'spend', CAST(sum(cost) AS text), 0 FROM message WHERE journey_id = :id AND status = 'sent'""", Object[].class, params)
                .map(rows -> {
                    Map<String, Long> status = new LinkedHashMap<>();
                    Map<String, Long> at = new LinkedHashMap<>();
                    Map<String, Map<String, Long>> outcomes = new LinkedHashMap<>();
                    java.math.BigDecimal spend = java.math.BigDecimal.ZERO;
                    for (Object[] r : rows) {
                        long n = ((Number) r[2]).longValue();
                        if ("spend".equals(r[0])) {
                            spend = r[1] == null ? spend : new java.math.BigDecimal((String) r[1]);
                        } else if ("status".equals(r[0])) {
                            status.put((String) r[1], n);
                        } else if ("at".equals(r[0])) {
                            at.put((String) r[1], n);
                        } else {
                            outcomes.computeIfAbsent((String) r[0], k -> new LinkedHashMap<>()).put((String) r[1], n);
                        }
                    }
                    return new Statistics(status.getOrDefault("active", 0L), status.getOrDefault("completed", 0L),
                            status.getOrDefault("converted", 0L), status.getOrDefault("exited", 0L), status.getOrDefault("failed", 0L), at,
                            outcomes, spend);
                });
    }

    private static JourneyView view(Object[] r, Statistics statistics) {
        return new JourneyView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).intValue(), json((String) r[5]),
                (UUID) r[9], (String) r[6], NativeSql.instant(r[7]), NativeSql.instant(r[8]), statistics);
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
