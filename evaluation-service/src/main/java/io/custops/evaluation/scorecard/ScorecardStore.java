package io.custops.evaluation.scorecard;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.evaluation.kpis.KpiDtos.SummaryItem;
import io.custops.evaluation.kpis.KpiQueries;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The stored scorecard configuration (the defaults until someone changes it) and the scorecard of a period from the rollups. */
@ApplicationScoped
public class ScorecardStore {
    private final KpiQueries queries;
    private final ObjectMapper mapper;

    public ScorecardStore(KpiQueries queries, ObjectMapper mapper) {
        this.queries = queries;
        this.mapper = mapper;
    }

    /** The scorecard of the period starting {@code period} at {@code grain}, targets defaulting to the period before. */
    public Uni<Scorecard.Result> score(String grain, LocalDate period) {
        return config().flatMap(config -> queries.summary(grain, period).map(summary -> {
            Map<String, Double> values = new HashMap<>(), previous = new HashMap<>();
            for (SummaryItem item : summary.kpis()) {
                if (item.value() != null) {
                    values.put(item.kpi(), item.value());
                }
                if (item.previous() != null) {
                    previous.put(item.kpi(), item.previous());
                }
            }
            return Scorecard.score(config, grain, summary.period(), values, previous);
        }));
    }

    public Uni<Scorecard.Config> config() {
        return NativeSql.list("SELECT CAST(config AS text), version FROM scorecard_config WHERE id = 'default'", Object[].class, Map.of())
                .map(rows -> rows.isEmpty() ? Scorecard.defaults() : new Scorecard.Config(parse((String) rows.get(0)[0]),
                        ((Number) rows.get(0)[1]).intValue()));
    }

    /** Replaces the configuration if it is still at {@code config.version()}; 409 otherwise. */
    public Uni<Scorecard.Config> save(Scorecard.Config config, String actor) {
        Scorecard.validate(config);
        if (config.version() == null) {
            throw ProblemException.badRequest("version is required", List.of(new Problem.FieldError("version", "the version read")));
        }
        Map<String, Object> p = NativeSql.params("config", json(config.layers()), "version", config.version(),
                "next", config.version() + 1, "actor", actor, "now", NativeSql.utc(Instant.now()));
        return NativeSql.execute("""
                INSERT INTO scorecard_config (id, config, version, updated_by, updated_at)
                SELECT 'default', CAST(CAST(:config AS text) AS jsonb), :next, :actor, :now
                WHERE :version = coalesce((SELECT version FROM scorecard_config WHERE id = 'default'), 1)
                ON CONFLICT (id) DO UPDATE SET config = excluded.config, version = excluded.version, updated_by = excluded.updated_by,
                    updated_at = excluded.updated_at WHERE scorecard_config.version = :version""", p)
                .flatMap(n -> n == 1 ? config() : config().flatMap(current -> Uni.createFrom().failure(
                        ProblemException.conflict("the scorecard changed since version " + config.version() + " (now " + current.version() + ")"))));
    }

    /** The stored layers (the version is the row's own column). */
    private List<Scorecard.Layer> parse(String json) {
        try {
            return mapper.readValue(json, mapper.getTypeFactory().constructCollectionType(List.class, Scorecard.Layer.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored scorecard is not readable", e);
        }
    }

    private String json(List<Scorecard.Layer> layers) {
        try {
            return mapper.writeValueAsString(layers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
