package io.custops.evaluation.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.evaluation.alerts.AlertDtos.AlertAction;
import io.custops.evaluation.alerts.AlertDtos.AlertView;
import io.custops.evaluation.alerts.AlertDtos.RuleRequest;
import io.custops.evaluation.alerts.AlertDtos.RuleView;
import io.custops.evaluation.alerts.Alerts;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** KPI alert rules and the alerts they raise. */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts")
@SecurityRequirement(name = "SecurityScheme")
public class AlertResource {
    private final Alerts alerts;
    private final Caller caller;

    public AlertResource(Alerts alerts, Caller caller) {
        this.alerts = alerts;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Alerts", description = "Newest first; `status` open, acknowledged, unresolved (open or acknowledged) or resolved; "
            + "`severity` info, warning or critical.")
    public Uni<List<AlertView>> list(@QueryParam("status") String status, @QueryParam("severity") String severity) {
        return Panache.withSession(() -> alerts.alerts(status, severity));
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Acknowledge an open alert", description = "Someone is on it; an optional note. 409 unless the alert is open.")
    public Uni<AlertView> acknowledge(@PathParam("id") UUID id, AlertAction action) {
        return Panache.withTransaction(() -> alerts.act(id, "acknowledge", caller.name(), action == null ? null : action.note()));
    }

    @POST
    @Path("/{id}/resolve")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Resolve an alert", description = "Closes an open or acknowledged alert with an optional note; the same breach is "
            + "not raised again, a later one is. 409 when already resolved.")
    public Uni<AlertView> resolve(@PathParam("id") UUID id, AlertAction action) {
        return Panache.withTransaction(() -> alerts.act(id, "resolve", caller.name(), action == null ? null : action.note()));
    }

    @GET
    @Path("/rules")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Alert rules")
    public Uni<List<RuleView>> rules() {
        return Panache.withSession(alerts::rules);
    }

    @GET
    @Path("/rules/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "An alert rule")
    public Uni<RuleView> rule(@PathParam("id") UUID id) {
        return Panache.withSession(() -> alerts.rule(id));
    }

    @POST
    @Path("/rules")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Create an alert rule", description = "On any KPI of GET /api/kpis at a grain (default day), for all customers or a "
            + "dimension (one group with `dimValue`, or each group of it): `mode` threshold (levels are KPI values) or baseline (levels are "
            + "deviations in percent from the mean of `baselinePeriods` periods before), `direction` above or below, levels info / warning / "
            + "critical, held for `periods` consecutive complete periods. Evaluated every minute; each breach raises one alert and one "
            + "KpiAlertRaised event, again only when it escalates.")
    public Uni<Response> create(RuleRequest request) {
        return Panache.withTransaction(() -> alerts.create(request, caller.name()))
                .map(rule -> Response.created(URI.create("/api/alerts/rules/" + rule.id())).entity(rule).build());
    }

    @PUT
    @Path("/rules/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Change an alert rule", description = "The whole rule with the `version` read; 409 when it changed meanwhile.")
    public Uni<RuleView> update(@PathParam("id") UUID id, RuleRequest request) {
        return Panache.withTransaction(() -> alerts.update(id, request));
    }

    @DELETE
    @Path("/rules/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Delete an alert rule", description = "With its alerts.")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> alerts.delete(id)).map(x -> Response.noContent().build());
    }
}
