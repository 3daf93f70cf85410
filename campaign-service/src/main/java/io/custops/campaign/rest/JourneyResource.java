package io.custops.campaign.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.campaign.journeys.JourneyTemplates;
import io.custops.campaign.journeys.Journeys;
import io.custops.campaign.rest.dto.JourneyDtos.InstanceView;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyRequest;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyTemplate;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyView;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/journeys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Journeys")
@SecurityRequirement(name = "SecurityScheme")
public class JourneyResource {
    private static final String LANGUAGE = """
            The definition is data in a closed JSON language (GET /api/journeys/schema), validated field by field and never \
            evaluated as code. Trigger: a customer event with field filters (OrderPlaced, ChurnRiskRaised, ProfileRegistered, \
            …), segment entry or exit, or a date (birthday, lastOrder, registered, with an offset in days). Entry: once, \
            oncePer a period, or always. Goal: an event that exits the customer as converted. Steps: wait (duration, until, \
            localTime in the customer's zone), waitForEvent (timeout fixed or from the customer's own purchase cycle; \
            onEvent / onTimeout), condition (tier, segment, scores, attributes, orders, performedSinceEntry; then / else), \
            split (deterministic weighted A/B), send (a template, with data and co-purchase recommendations), tag (through \
            the profile API), exit. Sends pass every safeguard like any message.""";

    private final Journeys journeys;
    private final JourneyTemplates templates;
    private final Caller caller;

    public JourneyResource(Journeys journeys, JourneyTemplates templates, Caller caller) {
        this.journeys = journeys;
        this.templates = templates;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create a journey (a draft)", description = LANGUAGE)
    public Uni<Response> create(JourneyRequest request) {
        return Panache.withTransaction(() -> journeys.create(request, caller.name()))
                .map(j -> Response.created(URI.create("/api/journeys/" + j.id())).entity(j).build());
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    public Uni<List<JourneyView>> list(@QueryParam("status") String status) {
        return Panache.withSession(() -> journeys.list(status));
    }

    @GET
    @Path("/schema")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "The journey language", description = "The JSON Schema every journey definition is validated against.")
    public JsonNode schema() {
        return JourneyTemplates.schema();
    }

    @GET
    @Path("/templates")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Ready journeys", description = "Birthday greeting, related products 7 days after a purchase, win-back "
            + "after 30 days inactive, replenishment at the customer's own purchase cycle, first-order incentive, churn-risk rescue.")
    public List<JourneyTemplate> readyJourneys() {
        return templates.list();
    }

    @POST
    @Path("/templates/{key}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create a journey from a ready one", description = "Creates its message templates and the journey as a "
            + "draft, to adapt and activate.")
    public Uni<Response> fromTemplate(@PathParam("key") String key) {
        return Panache.withTransaction(() -> templates.instantiate(key, caller.name()))
                .map(j -> Response.created(URI.create("/api/journeys/" + j.id())).entity(j).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "A journey with its statistics", description = "Customers in flight by step, finished by outcome, and every step's outcomes.")
    public Uni<JourneyView> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> journeys.get(id));
    }

    @GET
    @Path("/{id}/versions/{version}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    public Uni<JsonNode> version(@PathParam("id") UUID id, @PathParam("version") int version) {
        return Panache.withSession(() -> journeys.version(id, version));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Change a journey", description = "A new version; give the `version` you read (409 when it changed). "
            + "Customers in flight finish on the version they entered. " + LANGUAGE)
    public Uni<JourneyView> update(@PathParam("id") UUID id, JourneyRequest request) {
        return Panache.withTransaction(() -> journeys.update(id, request, caller.name()));
    }

    @POST
    @Path("/{id}/activate")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    public Uni<JourneyView> activate(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> journeys.activate(id));
    }

    @POST
    @Path("/{id}/pause")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Pause a journey", description = "No one enters; customers in flight hold where they are until it is activated again.")
    public Uni<JourneyView> pause(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> journeys.pause(id));
    }

    @POST
    @Path("/{id}/archive")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Archive a journey", description = "Customers in flight exit.")
    public Uni<JourneyView> archive(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> journeys.archive(id));
    }

    @GET
    @Path("/{id}/instances")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Customers' ways through the journey", description = "Newest first, each with its step history; `customerId` filters.")
    public Uni<List<InstanceView>> instances(@PathParam("id") UUID id, @QueryParam("customerId") UUID customerId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return Panache.withSession(() -> journeys.instances(id, customerId, limit));
    }
}
