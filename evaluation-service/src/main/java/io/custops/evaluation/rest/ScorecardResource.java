package io.custops.evaluation.rest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.evaluation.kpis.KpiDtos.SummaryItem;
import io.custops.evaluation.kpis.KpiQueries;
import io.custops.evaluation.scorecard.Scorecard;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The balanced scorecard: one score from weighted layers of KPIs against their targets. */
@Path("/api/scorecard")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Scorecard")
@SecurityRequirement(name = "SecurityScheme")
public class ScorecardResource {
    private final KpiQueries queries;
    private final ObjectMapper mapper;
    private final Caller caller;

    public ScorecardResource(KpiQueries queries, ObjectMapper mapper, Caller caller) {
        this.queries = queries;
        this.mapper = mapper;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "The scorecard for a period", description = "For the period containing `period` (default: today) at `grain` (default "
            + "month): each indicator's value, target (set, or the period before) and attainment, each layer's score and the overall score "
            + "(0-100).")
    public Uni<Scorecard.Result> score(@QueryParam("grain") String grain, @QueryParam("period") String period) {
        KpiQueries.Range range = queries.range(grain, null, period);
        return Panache.withSession(() -> config().flatMap(config -> queries.summary(range.grain(), range.to()).map(summary -> {
            Map<String, Double> values = new HashMap<>(), previous = new HashMap<>();
            for (SummaryItem item : summary.kpis()) {
                if (item.value() != null) {
                    values.put(item.kpi(), item.value());
                }
                if (item.previous() != null) {
                    previous.put(item.kpi(), item.previous());
                }
            }
            return Scorecard.score(config, range.grain(), range.to(), values, previous);
        })));
    }

    @GET
    @Path("/config")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "The scorecard's layers, indicators, weights and targets", description = "The defaults until someone changes them.")
    public Uni<Scorecard.Config> getConfig() {
        return Panache.withSession(this::config);
    }

    @PUT
    @Path("/config")
    @RolesAllowed({ Roles.ADMIN, Roles.ANALYST })
    @Operation(summary = "Change the scorecard", description = "The whole scorecard with the `version` read (409 when it changed meanwhile): "
            + "layer weights sum to 1, indicator weights within a layer sum to 1, each indicator a KPI with `better` higher or lower and an "
            + "optional positive target.")
    public Uni<Scorecard.Config> putConfig(Scorecard.Config config) {
        Scorecard.validate(config);
        if (config.version() == null) {
            throw ProblemException.badRequest("version is required", List.of(new Problem.FieldError("version", "the version read")));
        }
        Map<String, Object> p = NativeSql.params("config", json(config.layers()), "version", config.version(),
                "next", config.version() + 1, "actor", caller.name(), "now", NativeSql.utc(Instant.now()));
        return Panache.withTransaction(() -> NativeSql.execute("""
                INSERT INTO scorecard_config (id, config, version, updated_by, updated_at)
                SELECT 'default', CAST(CAST(:config AS text) AS jsonb), :next, :actor, :now
                WHERE :version = coalesce((SELECT version FROM scorecard_config WHERE id = 'default'), 1)
                ON CONFLICT (id) DO UPDATE SET config = excluded.config, version = excluded.version, updated_by = excluded.updated_by,
                    updated_at = excluded.updated_at WHERE scorecard_config.version = :version""", p)
                .flatMap(n -> n == 1 ? config() : config().flatMap(current -> Uni.createFrom().failure(
                        ProblemException.conflict("the scorecard changed since version " + config.version() + " (now " + current.version() + ")")))));
    }

    private Uni<Scorecard.Config> config() {
        return NativeSql.list("SELECT CAST(config AS text), version FROM scorecard_config WHERE id = 'default'", Object[].class, Map.of())
                .map(rows -> rows.isEmpty() ? Scorecard.defaults() : new Scorecard.Config(parse((String) rows.get(0)[0]),
                        ((Number) rows.get(0)[1]).intValue()));
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
