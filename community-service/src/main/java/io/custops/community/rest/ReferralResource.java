package io.custops.community.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.community.loyalty.Referrals;
import io.custops.community.loyalty.RetiredCustomers;
import io.custops.community.rest.dto.LoyaltyDtos.ReferralClaim;
import io.custops.community.rest.dto.LoyaltyDtos.ReferralCode;
import io.custops.community.rest.dto.LoyaltyDtos.ReferralView;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Referral codes and their attribution: the member's own code, claims by new customers, who referred whom. */
@Path("/api/referrals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Referrals")
@SecurityRequirement(name = "SecurityScheme")
public class ReferralResource {
    private final Referrals referrals;
    private final Caller caller;

    public ReferralResource(Referrals referrals, Caller caller) {
        this.referrals = referrals;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My referral code", description = "Made on first use; with how many I referred, their first orders and my points from referrals.")
    public Uni<ReferralCode> myCode() {
        return code(caller.requireOwnCustomerId());
    }

    @GET
    @Path("/me/referrals")
    @RolesAllowed(Roles.MEMBER)
    public Uni<List<ReferralView>> myReferrals() {
        return referralsOf(caller.requireOwnCustomerId());
    }

    @POST
    @Path("/claim")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Claim a referral code (the new member)", description = "Within the claim window after registering and before any "
            + "order; not one's own code; once. Rewards the registration stage for both (ReferralCompleted); the first order rewards the next.")
    public Uni<Response> claim(ReferralClaim claim) {
        UUID referee = caller.requireOwnCustomerId();
        return Panache.withTransaction(() -> RetiredCustomers.requireLive(referee)
                .flatMap(live -> referrals.claim(live, claim == null ? null : claim.code(), "member")))
                .map(r -> Response.created(URI.create("/api/referrals/" + r.id())).entity(r).build());
    }

    @POST
    @Path("/claims")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.INTEGRATOR })
    @Operation(summary = "Attribute a referee to a code", description = "For sign-ups in a source system: the same rules as a member's claim.")
    public Uni<Response> attribute(ReferralClaim claim) {
        if (claim == null || claim.refereeId() == null) {
            throw ProblemException.badRequest("The referee is required.", List.of(new Problem.FieldError("refereeId", "is required")));
        }
        return Panache.withTransaction(() -> RetiredCustomers.requireLive(claim.refereeId())
                .flatMap(live -> referrals.claim(live, claim.code(), caller.name())))
                .map(r -> Response.created(URI.create("/api/referrals/" + r.id())).entity(r).build());
    }

    @GET
    @Path("/customers/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<ReferralCode> code(@PathParam("id") UUID customer) {
        caller.requireAccessTo(customer);
        return Panache.withTransaction(() -> RetiredCustomers.requireLive(customer).flatMap(referrals::codeOf));
    }

    @GET
    @Path("/customers/{id}/referrals")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<List<ReferralView>> referralsOf(@PathParam("id") UUID customer) {
        caller.requireAccessTo(customer);
        return Panache.withSession(() -> RetiredCustomers.requireLive(customer).flatMap(live -> referrals.byReferrer(live, 200)));
    }
}
