package io.custops.evaluation.rest;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.evaluation.kpis.KpiCatalog;
import io.custops.evaluation.kpis.KpiDtos.Cohort;
import io.custops.evaluation.kpis.KpiDtos.Distribution;
import io.custops.evaluation.kpis.KpiDtos.HealthDay;
import io.custops.evaluation.kpis.KpiDtos.KpiInfo;
import io.custops.evaluation.kpis.KpiDtos.Migration;
import io.custops.evaluation.kpis.KpiDtos.SeriesResponse;
import io.custops.evaluation.kpis.KpiDtos.Summary;
import io.custops.evaluation.kpis.KpiQueries;
import io.custops.evaluation.kpis.KpiRollup;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * KPIs from the rollups. Aggregates only: no customer is named, so analysts may read everything here. Periods are in
 * the reporting time zone; money in the reporting currency.
 */
@Path("/api/kpis")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "KPIs")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
public class KpiResource {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(KpiResource.class);

    private final KpiQueries queries;
    private final KpiRollup rollup;
    private final Caller caller;

    public KpiResource(KpiQueries queries, KpiRollup rollup, Caller caller) {
        this.queries = queries;
        this.rollup = rollup;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The KPI catalogue", description = "Every KPI with its unit and definition.")
    public List<KpiInfo> catalogue() {
        return KpiCatalog.all().stream().map(k -> new KpiInfo(k.name(), k.unit().name().toLowerCase(), k.cumulative(), k.lowerIsBetter(), k.description())).toList();
    }

    @GET
    @Path("/summary")
    @Operation(summary = "All KPIs in one period", description = "Every KPI for all customers in the period containing `period` (default: "
            + "today) at `grain` (day, week, month, quarter; default month), with the period before and the relative change.")
    public Uni<Summary> summary(@QueryParam("grain") String grain, @QueryParam("period") String period) {
        KpiQueries.Range range = queries.range(grain, null, period);
        return Panache.withSession(() -> queries.summary(range.grain(), range.to()));
    }

    @GET
    @Path("/cohorts")
    @Operation(summary = "Retention cohorts", description = "Customers grouped by the period of their first order, with the share who "
            + "ordered again in each later period (offset 0 is the cohort's own period: all of it).")
    public Uni<List<Cohort>> cohorts(@QueryParam("grain") String grain, @QueryParam("from") String from, @QueryParam("to") String to) {
        KpiQueries.Range range = queries.range(grain, from, to);
        return Panache.withSession(() -> queries.cohorts(range));
    }

    @GET
    @Path("/migrations")
    @Operation(summary = "Tier or stage migration matrix", description = "`dimension` tier or stage: for the customers who moved in the range, "
            + "how many went from each state (before their first move) to each state (after their last); `none` is no state before.")
    public Uni<Migration> migrations(@QueryParam("dimension") String dimension, @QueryParam("grain") String grain, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        KpiQueries.Range range = queries.range(grain, from, to);
        return Panache.withSession(() -> queries.migrations(dimension, range));
    }

    @GET
    @Path("/distribution")
    @Operation(summary = "Current tier or stage distribution", description = "`dimension` tier or stage: customers and share per value, as of "
            + "the last rollup run (each minute).")
    public Uni<List<Distribution>> distribution(@QueryParam("dimension") String dimension) {
        return Panache.withSession(() -> queries.distribution(dimension));
    }

    @GET
    @Path("/health")
    @Operation(summary = "Health-index distribution over time", description = "Per day (default: the last 30): customers per ten-point "
            + "health bucket, at-risk and churn-risk counts, and the number under 40.")
    public Uni<List<HealthDay>> health(@QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate last = to == null || to.isBlank() ? queries.today() : KpiQueries.date("to", to);
        LocalDate first = from == null || from.isBlank() ? last.minusDays(29) : KpiQueries.date("from", from);
        return Panache.withSession(() -> queries.health(first, last));
    }

    @GET
    @Path("/{kpi}")
    @Operation(summary = "A KPI over time", description = "Per period from `from` to `to` (default: the last 12 periods) at `grain`, for "
            + "`dim` all (default), tier, segment, community, or for message KPIs campaign, budget-pool, channel; `value` picks one group. "
            + "Each point has value, numerator, denominator and the relative change from the period before.")
    public Uni<SeriesResponse> series(@PathParam("kpi") String kpi, @QueryParam("grain") String grain, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("dim") String dim, @QueryParam("value") String value) {
        KpiQueries.kpi(kpi);
        KpiQueries.Range range = queries.range(grain, from, to);
        return Panache.withSession(() -> queries.series(kpi, range, dim, value));
    }

    @POST
    @Path("/recompute")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Recompute every KPI", description = "Starts rebuilding all rollups and cohorts from the facts in the background "
            + "(the schedule keeps them current from changed days; this is for a changed definition or configuration) and answers 202; "
            + "GET shows its progress. 409 while one runs.")
    public Uni<Response> recompute() {
        return Panache.withTransaction(() -> NativeSql.execute("""
                INSERT INTO kpi_recompute (id, requested_by, started_at) VALUES (1, :actor, now())
                ON CONFLICT (id) DO UPDATE SET requested_by = excluded.requested_by, started_at = excluded.started_at, finished_at = NULL,
                    seconds = NULL, error = NULL
                WHERE kpi_recompute.finished_at IS NOT NULL OR kpi_recompute.started_at < now() - interval '1 hour'""",
                Map.of("actor", caller.name())))
                .map(started -> {
                    if (started == 0) {
                        throw ProblemException.conflict("a recompute is running (GET /api/kpis/recompute)");
                    }
                    long t = System.nanoTime();
                    rollup.recomputeAll()
                            .onItemOrFailure().transformToUni((x, failure) -> Panache.withTransaction(() -> NativeSql.execute("""
                                    UPDATE kpi_recompute SET finished_at = now(), seconds = :seconds, error = :error WHERE id = 1""",
                                    NativeSql.params("seconds", (System.nanoTime() - t) / 1e9, "error", failure == null ? null : String.valueOf(failure.getMessage())))))
                            .subscribe().with(x -> { }, f -> LOG.error("recording the KPI recompute failed", f));
                    return Response.accepted(Map.of("status", "running")).build();
                });
    }

    @GET
    @Path("/recompute")
    @RolesAllowed({ Roles.ADMIN, Roles.ANALYST })
    @Operation(summary = "The last full recompute", description = "Who started it, when, whether it finished, how long it took, its error.")
    public Uni<Map<String, Object>> recomputeStatus() {
        return Panache.withSession(() -> NativeSql.list("SELECT requested_by, started_at, finished_at, seconds, error FROM kpi_recompute WHERE id = 1",
                Object[].class, Map.of()))
                .map(rows -> rows.isEmpty() ? Map.<String, Object>of("status", "never") : status(rows.get(0)));
    }

    private static Map<String, Object> status(Object[] r) {
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("status", r[2] == null ? "running" : r[4] == null ? "finished" : "failed");
        status.put("requestedBy", r[0]);
        status.put("startedAt", NativeSql.instant(r[1]));
        status.put("finishedAt", NativeSql.instant(r[2]));
        status.put("seconds", r[3]);
        status.put("error", r[4]);
        return status;
    }
}
