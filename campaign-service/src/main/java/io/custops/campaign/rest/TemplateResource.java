package io.custops.campaign.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.campaign.rest.dto.TemplateDtos.Preview;
import io.custops.campaign.rest.dto.TemplateDtos.PreviewRequest;
import io.custops.campaign.rest.dto.TemplateDtos.TemplateRequest;
import io.custops.campaign.rest.dto.TemplateDtos.TemplateResponse;
import io.custops.campaign.service.Templates;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Templates")
@SecurityRequirement(name = "SecurityScheme")
public class TemplateResource {
    private static final String LANGUAGE = """
            Text per locale in Qute syntax, rendered by an engine that only reads the values of a send — \
            {customer.firstName}, {customer.lastName}, {customer.locale}, {customer.lastOrder.id} and .placedAt (the \
            latest order), {data.*} (coupon code, recommendations: what the campaign, journey or caller passes), {links.unsubscribe}, {message.id} — and \
            never calls code. `{data.coupon ?: ''}` makes a value optional; a missing required value fails the send \
            with the reason. E-mail bodies are HTML with every value escaped; links in them become signed click \
            redirects and an open pixel is added. A customer gets the content of their locale (zh-CN, then zh), \
            else the default locale's.""";

    private final Templates templates;
    private final Caller caller;

    public TemplateResource(Templates templates, Caller caller) {
        this.templates = templates;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create a template", description = LANGUAGE)
    public Uni<Response> create(TemplateRequest request) {
        return Panache.withTransaction(() -> templates.create(request, caller.name()))
                .map(t -> Response.created(URI.create("/api/templates/" + t.id())).entity(t).build());
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "List templates", description = "By name; `channel` filters, `archived=true` adds archived ones.")
    public Uni<List<TemplateResponse>> list(@QueryParam("channel") String channel,
            @QueryParam("archived") @DefaultValue("false") boolean archived) {
        return Panache.withSession(() -> templates.list(channel, archived));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    public Uni<TemplateResponse> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> templates.get(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Change a template", description = "Give the `version` you read (409 when it changed since). "
            + "Messages not yet sent render with the new text. " + LANGUAGE)
    public Uni<TemplateResponse> update(@PathParam("id") UUID id, TemplateRequest request) {
        return Panache.withTransaction(() -> templates.update(id, request));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Archive a template", description = "Archived templates take no new messages; queued ones still go out.")
    public Uni<TemplateResponse> archive(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> templates.archive(id));
    }

    @POST
    @Path("/{id}/preview")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Preview a template", description = "Renders it for a sample customer (`customer`, default "
            + "Alex Sample) in `locale` with the send `data` given; 400 names a value the template needs and the sample lacks.")
    public Uni<Preview> preview(@PathParam("id") UUID id, PreviewRequest request) {
        return Panache.withSession(() -> templates.preview(id, request));
    }
}
