package io.custops.evaluation.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.custops.evaluation.reports.ReportDtos.Report;
import io.custops.evaluation.reports.ReportDtos.ReportPage;
import io.custops.evaluation.reports.ReportDtos.ReportRequest;
import io.custops.evaluation.reports.ReportHtml;
import io.custops.evaluation.reports.Reports;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Reviews: monthly, quarterly and baseline reports over the KPI rollups, as JSON or as a printable HTML page. Aggregates only. */
@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reports")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
public class ReportResource {
    private static final Logger LOG = Logger.getLogger(ReportResource.class);

    private final Reports reports;
    private final Caller caller;

    public ReportResource(Reports reports, Caller caller) {
        this.reports = reports;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.ANALYST })
    @Operation(summary = "Request a review", description = "`kind` monthly (the month containing `period`, default the last complete one, "
            + "against the month before), quarterly (the same for quarters, with the scorecard, the tier migration and the quarter a year "
            + "before) or baseline (the months from the month of `programmeStart` to the month containing `period`, against the three months "
            + "before the start; `programmeStart` defaults to custops.reports.programme-start). Answers 202 with the report, status "
            + "building; GET it until published (or failed). Publishing sends ReportPublished.")
    public Uni<Response> request(ReportRequest request) {
        Reports.Plan plan = reports.plan(request);
        return Panache.withTransaction(() -> reports.request(plan, caller.name())).map(report -> {
            reports.build(report.id()).subscribe().with(x -> { }, f -> LOG.errorf(f, "report %s was not built", report.id()));
            // relative: behind the gateway this service's own host and port are not the caller's
            return Response.accepted(report).header(HttpHeaders.LOCATION, "/api/reports/" + report.id()).build();
        });
    }

    @GET
    @Operation(summary = "Reports, newest first", description = "Without their bodies; `kind` filters; `limit` 1-200 (default 50); `before` is "
            + "the `nextBefore` of the previous page.")
    public Uni<ReportPage> list(@QueryParam("kind") String kind, @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return Panache.withSession(() -> reports.list(kind, before, limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A report", description = "Its status and, once published, the summary of every KPI against the comparison, the "
            + "biggest movers with the groups that drove them, rule-derived recommendations and the period's alerts (quarterly: the "
            + "scorecard and tier migration). With `Accept: text/html`, the same as a printable page.")
    public Uni<Report> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> reports.get(id));
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<String> page(@PathParam("id") UUID id) {
        return Panache.withSession(() -> reports.get(id)).map(ReportHtml::render);
    }
}
