package io.custops.profile.rest;

import java.net.URI;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.IdentifyRequest;
import io.custops.profile.rest.dto.IdentifyResponse;
import io.custops.profile.rest.dto.ProfileResponse;
import io.custops.profile.rest.dto.RegisterProfileRequest;
import io.custops.profile.service.ProfileService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Profiles")
@SecurityRequirement(name = "SecurityScheme")
public class ProfileResource {
    private final ProfileService service;
    private final Caller caller;

    public ProfileResource(ProfileService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({ Roles.INTEGRATOR, Roles.ADMIN })
    @Operation(summary = "Register a customer", description = "Creates a profile with its identifiers and publishes "
            + "ProfileRegistered. An identifier that already belongs to a customer is refused with 409.")
    public Uni<RestResponse<ProfileResponse>> register(@Valid @NotNull RegisterProfileRequest request) {
        return service.register(request).map(view -> RestResponse.ResponseBuilder
                .<ProfileResponse>created(URI.create("/api/profiles/" + view.profile().id))
                .entity(view.toResponse(mayReadPii(view.profile().id))).build());
    }

    @POST
    @Path("/identify")
    @RolesAllowed({ Roles.INTEGRATOR, Roles.ADMIN })
    @Operation(summary = "Resolve identifiers to a customer id", description = "Returns the customer the identifiers "
            + "belong to, creating a prospect profile when none matches, and links the identifiers it did not hold yet "
            + "(within the per-type limits). Placeholder values such as 'anonymous' or '-1' are ignored.")
    public Uni<IdentifyResponse> identify(@Valid @NotNull IdentifyRequest request) {
        return service.identify(request);
    }

    @GET
    @Path("/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.PII_READER, Roles.INTEGRATOR, Roles.SERVICE, Roles.MEMBER })
    @Operation(summary = "Read a customer profile", description = "PII is masked unless the caller holds admin or "
            + "pii-reader, or is the member the profile belongs to. A member can read only their own profile.")
    public Uni<ProfileResponse> get(@PathParam("customerId") UUID customerId) {
        caller.requireAccessTo(customerId);
        return service.get(customerId).map(view -> view.toResponse(mayReadPii(customerId)));
    }

    private boolean mayReadPii(UUID customerId) {
        return caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.PII_READER)
                || caller.customerId().filter(customerId::equals).isPresent();
    }
}
