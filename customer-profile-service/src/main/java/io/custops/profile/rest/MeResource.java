package io.custops.profile.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.ConsentChange;
import io.custops.profile.rest.dto.ConsentDto;
import io.custops.profile.rest.dto.ConsentHistoryItem;
import io.custops.profile.rest.dto.ConsentUpdate;
import io.custops.profile.rest.dto.ProfileResponse;
import io.custops.profile.service.ConsentService;
import io.custops.profile.service.ProfilePatcher;
import io.custops.profile.service.ProfileService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** Member self-service: the customer bound to the token, and no one else. */
@Path("/api/profiles/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Member self-service")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed(Roles.MEMBER)
public class MeResource {
    private final ProfileService profiles;
    private final ConsentService consents;
    private final Caller caller;

    public MeResource(ProfileService profiles, ConsentService consents, Caller caller) {
        this.profiles = profiles;
        this.consents = consents;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "My profile", description = "Unmasked: it is the member's own data.")
    public Uni<RestResponse<ProfileResponse>> get() {
        return profiles.get(caller.requireOwnCustomerId()).map(view -> ProfileResource.withETag(view.toResponse(true)));
    }

    @PATCH
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @Operation(summary = "Change my personal details", description = "A JSON merge patch of firstName, lastName, gender, "
            + "birthday, locale, timeZone and addresses, with If-Match.")
    public Uni<RestResponse<ProfileResponse>> patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, JsonNode mergePatch) {
        long version = ETags.requireVersion(ifMatch);
        return profiles.patch(caller.requireOwnCustomerId(), version, mergePatch, ProfilePatcher.MEMBER_FIELDS)
                .map(view -> ProfileResource.withETag(view.toResponse(true)));
    }

    @GET
    @Path("/consents")
    @Operation(summary = "My consents")
    public Uni<List<ConsentDto>> myConsents() {
        return consents.list(caller.requireOwnCustomerId());
    }

    @PUT
    @Path("/consents")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Grant or withdraw my consents", description = "Recorded with source member-self-service.")
    public Uni<List<ConsentDto>> changeConsents(@Valid @NotNull ConsentUpdate update) {
        // a member cannot claim another source: self-service is the source
        List<ConsentChange> changes = update.consents().stream()
                .map(c -> new ConsentChange(c.channel(), c.purpose(), c.status(), null, c.proof())).toList();
        return consents.record(caller.requireOwnCustomerId(), changes, "member", "member-self-service");
    }

    @GET
    @Path("/consents/history")
    @Operation(summary = "My consent history")
    public Uni<List<ConsentHistoryItem>> myConsentHistory(@QueryParam("before") Long before,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return consents.history(caller.requireOwnCustomerId(), before, limit).map(ConsentResource::items);
    }
}
