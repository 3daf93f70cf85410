package io.custops.profile.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.custops.platform.audit.AuditLog;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.IdentifyRequest;
import io.custops.profile.rest.dto.IdentifyResponse;
import io.custops.profile.rest.dto.ProfilePage;
import io.custops.profile.rest.dto.ProfileResponse;
import io.custops.profile.rest.dto.RegisterProfileRequest;
import io.custops.profile.service.ProfilePatcher;
import io.custops.profile.service.ProfileSearchService;
import io.custops.profile.service.ProfileService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
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
    private final ProfileSearchService searchService;
    private final AuditLog audit;
    private final Caller caller;

    public ProfileResource(ProfileService service, ProfileSearchService searchService, AuditLog audit, Caller caller) {
        this.audit = audit;
        this.service = service;
        this.searchService = searchService;
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
        return service.identify(request, caller.name());
    }

    @GET
    @Path("/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.PII_READER, Roles.INTEGRATOR, Roles.SERVICE, Roles.MEMBER })
    @Operation(summary = "Read a customer profile", description = "PII is masked unless the caller holds admin or "
            + "pii-reader, or is the member the profile belongs to. A member can read only their own profile. The ETag "
            + "is the profile version, for If-Match on PATCH.")
    public Uni<RestResponse<ProfileResponse>> get(@PathParam("customerId") UUID customerId) {
        caller.requireAccessTo(customerId);
        return service.get(customerId).call(view -> auditUnmasked(List.of(customerId)))
                .map(view -> withETag(view.toResponse(mayReadPii(customerId))));
    }

    @PATCH
    @Path("/{customerId}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @RolesAllowed({ Roles.ADMIN, Roles.INTEGRATOR })
    @Operation(summary = "Change a profile's attributes", description = "A JSON merge patch (RFC 7396): null clears a "
            + "field; custom attributes go under 'attributes' and must be declared in the attribute schema with a value of "
            + "the declared type. If-Match with the ETag from GET is required (428 without it, 412 when the profile has "
            + "changed since). Publishes ProfileUpdated with the changed field names.")
    public Uni<RestResponse<ProfileResponse>> patch(@PathParam("customerId") UUID customerId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, JsonNode mergePatch) {
        long version = ETags.requireVersion(ifMatch);
        return service.patch(customerId, version, mergePatch, ProfilePatcher.FIELDS)
                .map(view -> withETag(view.toResponse(mayReadPii(customerId))));
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.PII_READER, Roles.INTEGRATOR, Roles.SERVICE })
    @Operation(summary = "List and search profiles", description = "Filters combine with AND: identifier=type:value, "
            + "attribute=name:value (repeatable; typed by the attribute schema), tag=group:tag (repeatable), status, created/updated ranges "
            + "(ISO-8601, from inclusive, to exclusive). Pages of at most 'limit' (1-200, default 50) in creation order; "
            + "pass nextCursor as cursor for the next page. PII is masked as for a single read.")
    public Uni<ProfilePage> search(@QueryParam("identifier") String identifier, @QueryParam("attribute") List<String> attributes,
            @QueryParam("tag") List<String> tags,
            @QueryParam("status") String status, @QueryParam("createdFrom") Instant createdFrom,
            @QueryParam("createdTo") Instant createdTo, @QueryParam("updatedFrom") Instant updatedFrom,
            @QueryParam("updatedTo") Instant updatedTo, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return searchService.search(new ProfileSearchService.Query(identifier, attributes, tags, status, createdFrom, createdTo,
                updatedFrom, updatedTo, limit, cursor))
                .call(page -> auditUnmasked(page.items().stream().map(v -> v.profile().id).toList()))
                .map(page -> new ProfilePage(page.items().stream().map(v -> v.toResponse(mayReadPii(v.profile().id))).toList(),
                        page.nextCursor()));
    }

    static RestResponse<ProfileResponse> withETag(ProfileResponse response) {
        return RestResponse.ResponseBuilder.ok(response).header(HttpHeaders.ETAG, ETags.of(response.version())).build();
    }

    /** Staff reading PII unmasked is audited (a member reading their own data is not). */
    private Uni<Void> auditUnmasked(List<UUID> customerIds) {
        if (!(caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.PII_READER)) || customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return audit.recordAll(caller.name(), AuditLog.UNMASKED_READ, customerIds);
    }

    private boolean mayReadPii(UUID customerId) {
        return caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.PII_READER)
                || caller.customerId().filter(customerId::equals).isPresent();
    }
}
