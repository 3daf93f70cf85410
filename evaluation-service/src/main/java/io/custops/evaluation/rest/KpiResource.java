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
    private final KpiQueries queries;
    private final KpiRollup rollup;

    public KpiResource(KpiQueries queries, KpiRollup rollup) {
        this.queries = queries;
        this.rollup = rollup;
    }

    @GET
    @Operation(summary = "The KPI catalogue", description = "Every KPI with its unit and definition.")
    public List<KpiInfo> catalogue() {
        return KpiCatalog.all().stream().map(k -> new KpiInfo(k.name(), k.unit().name().toLowerCase(), k.cumulative(), k.description())).toList();
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
    @Operation(summary = "Current tier or stage distribution", description = "`dimension` tier or stage: customers and share per value.")
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
    @Operation(summary = "Recompute every KPI", description = "Rebuilds all rollups and cohorts from the facts (the schedule keeps them current "
            + "from changed days; this is for a changed definition or configuration). Returns how long it took.")
    public Uni<Map<String, Object>> recompute() {
        long started = System.nanoTime();
        return rollup.recomputeAll().map(x -> Map.of("seconds", (System.nanoTime() - started) / 1e9));
    }
}
