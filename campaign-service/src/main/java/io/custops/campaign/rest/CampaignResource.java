package io.custops.campaign.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.campaign.rest.dto.CampaignDtos.CampaignRequest;
import io.custops.campaign.rest.dto.CampaignDtos.CampaignView;
import io.custops.campaign.rest.dto.CampaignDtos.ScheduleRequest;
import io.custops.campaign.service.Campaigns;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@SecurityRequirement(name = "SecurityScheme")
public class CampaignResource {
    private final Campaigns campaigns;
    private final Caller caller;

    public CampaignResource(Campaigns campaigns, Caller caller) {
        this.campaigns = campaigns;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create a campaign", description = "A draft broadcast of a template to a segment (the segment's "
            + "members as segmentation announces them). Schedule it to send.")
    public Uni<Response> create(CampaignRequest request) {
        return Panache.withTransaction(() -> campaigns.create(request, caller.name()))
                .map(c -> Response.created(URI.create("/api/campaigns/" + c.id())).entity(c).build());
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "List campaigns", description = "Newest first, without statistics; `status` filters.")
    public Uni<List<CampaignView>> list(@QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return Panache.withSession(() -> campaigns.list(status, limit));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "A campaign with its statistics", description = "Queued, sending, sent, failed, cancelled, suppressed "
            + "by reason, opened, clicked, unsubscribed, converted and revenue.")
    public Uni<CampaignView> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> campaigns.get(id));
    }

    @POST
    @Path("/{id}/schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Schedule a campaign", description = "Sends at `sendAt`, or now. At that time the segment's members "
            + "are snapshotted into messages, spaced at the campaign's rate, each through every safeguard.")
    public Uni<CampaignView> schedule(@PathParam("id") UUID id, ScheduleRequest request) {
        return Panache.withTransaction(() -> campaigns.schedule(id, request == null ? null : request.sendAt()));
    }

    @POST
    @Path("/{id}/pause")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Pause a sending campaign", description = "Messages not yet handed to a channel wait until it resumes.")
    public Uni<CampaignView> pause(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> campaigns.pause(id));
    }

    @POST
    @Path("/{id}/resume")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Resume a paused campaign", description = "The waiting messages go out from now at the campaign's rate.")
    public Uni<CampaignView> resume(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> campaigns.resume(id));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Cancel a campaign", description = "Messages not yet sent are cancelled; sent ones keep their statistics.")
    public Uni<CampaignView> cancel(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> campaigns.cancel(id));
    }
}
