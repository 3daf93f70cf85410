package io.custops.campaign.rest;

import java.net.URI;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.campaign.rest.dto.MessageDtos.MessagePage;
import io.custops.campaign.rest.dto.MessageDtos.MessageView;
import io.custops.campaign.rest.dto.MessageDtos.SendRequest;
import io.custops.campaign.service.Messages;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/campaigns/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
@SecurityRequirement(name = "SecurityScheme")
public class MessageResource {
    private final Messages messages;
    private final Caller caller;

    public MessageResource(Messages messages, Caller caller) {
        this.messages = messages;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.INTEGRATOR })
    @Operation(summary = "Send a message to one customer", description = """
            Queues a message from a template (its channel and category: marketing or transactional) and answers 202 with \
            the message; it then goes through the safeguards every send passes: consent for the channel and purpose \
            (marketing, or service for transactional), the cross-campaign frequency cap (marketing), quiet hours in the \
            customer's time zone (marketing: deferred or skipped) and a contact address. A suppressed message keeps its \
            reason. The same customer and dedupe key (default: template and data; `Idempotency-Key` sets it) is sent \
            once: a repeat answers 200 with a message suppressed as `duplicate`.""")
    public Uni<Response> send(SendRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        SendRequest keyed = request != null && request.dedupeKey() == null && idempotencyKey != null
                ? new SendRequest(request.customerId(), request.templateId(), request.data(), idempotencyKey, request.sendAt())
                : request;
        return Panache.withTransaction(() -> messages.send(keyed, caller.name()))
                .map(m -> Response.status("duplicate".equals(m.reason()) ? 200 : 202).location(URI.create("/api/campaigns/messages/" + m.id()))
                        .entity(m).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.INTEGRATOR })
    public Uni<MessageView> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> messages.get(id));
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "List messages", description = "A customer's messages, or all with a `status` (e.g. suppressed, "
            + "with their reasons), newest first; pass `next` as `after` for the following page.")
    public Uni<MessagePage> list(@QueryParam("customerId") UUID customerId, @QueryParam("status") String status,
            @QueryParam("after") UUID after, @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        if (customerId == null && status == null) {
            throw ProblemException.badRequest("Filter by customerId or status.",
                    java.util.List.of(new Problem.FieldError("customerId", "or status is required")));
        }
        return Panache.withSession(() -> messages.list(customerId, status, after, limit));
    }
}
