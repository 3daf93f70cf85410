package io.custops.evaluation.rest;


import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


import io.custops.evaluation.kpis.KpiQueries;
import io.custops.evaluation.scorecard.Scorecard;
import io.custops.evaluation.scorecard.ScorecardStore;
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
    private final ScorecardStore store;
    private final Caller caller;

    public ScorecardResource(KpiQueries queries, ScorecardStore store, Caller caller) {
        this.queries = queries;
        this.store = store;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "The scorecard for a period", description = "For the period containing `period` (default: today) at `grain` (default "
            + "month): each indicator's value, target (set, or the period before) and attainment, each layer's score and the overall score "
            + "(0-100).")
    public Uni<Scorecard.Result> score(@QueryParam("grain") String grain, @QueryParam("period") String period) {
        KpiQueries.Range range = queries.range(grain, null, period);
        return Panache.withSession(() -> store.score(range.grain(), range.to()));
    }

    @GET
    @Path("/config")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "The scorecard's layers, indicators, weights and targets", description = "The defaults until someone changes them.")
    public Uni<Scorecard.Config> getConfig() {
        return Panache.withSession(store::config);
    }

    @PUT
    @Path("/config")
    @RolesAllowed({ Roles.ADMIN, Roles.ANALYST })
    @Operation(summary = "Change the scorecard", description = "The whole scorecard with the `version` read (409 when it changed meanwhile): "
            + "layer weights sum to 1, indicator weights within a layer sum to 1, each indicator a KPI with `better` higher or lower and an "
            + "optional positive target.")
    public Uni<Scorecard.Config> putConfig(Scorecard.Config config) {
        return Panache.withTransaction(() -> store.save(config, caller.name()));
    }
}
