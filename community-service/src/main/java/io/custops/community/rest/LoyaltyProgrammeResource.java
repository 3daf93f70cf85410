package io.custops.community.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.community.loyalty.EarnRules;
import io.custops.community.loyalty.LoyaltyTiers;
import io.custops.community.loyalty.Rewards;
import io.custops.community.rest.dto.LoyaltyDtos.EarnRuleRequest;
import io.custops.community.rest.dto.LoyaltyDtos.EarnRuleView;
import io.custops.community.rest.dto.LoyaltyDtos.RewardRequest;
import io.custops.community.rest.dto.LoyaltyDtos.RewardView;
import io.custops.community.rest.dto.LoyaltyDtos.TierSetRequest;
import io.custops.community.rest.dto.LoyaltyDtos.TierSetView;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The programme's rules: what earns points, the rewards catalogue, the loyalty tiers. */
@Path("/api/loyalty")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Loyalty programme")
@SecurityRequirement(name = "SecurityScheme")
public class LoyaltyProgrammeResource {
    private final EarnRules rules;
    private final Rewards rewards;
    private final LoyaltyTiers tiers;
    private final Caller caller;

    public LoyaltyProgrammeResource(EarnRules rules, Rewards rewards, LoyaltyTiers tiers, Caller caller) {
        this.rules = rules;
        this.rewards = rewards;
        this.tiers = tiers;
        this.caller = caller;
    }

    @POST
    @Path("/tier-sets")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Create a tier set", description = "Tiers ranked by threshold on points earned (net of clawbacks) or money spent "
            + "over a rolling window of windowDays; upgrades at once, downgrades at the end of the period (month, quarter, year) plus "
            + "graceDays. Each tier lists its benefits.")
    public Uni<Response> createTierSet(TierSetRequest request) {
        return Panache.withTransaction(() -> tiers.create(request, caller.name()))
                .map(t -> Response.created(URI.create("/api/loyalty/tier-sets/" + t.id())).entity(t).build());
    }

    @PUT
    @Path("/tier-sets/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Change a tier set", description = "With the version you read (409 when it changed). Tiers are matched by name; a tier "
            + "that still has members cannot be dropped (409).")
    public Uni<TierSetView> updateTierSet(@PathParam("id") UUID id, TierSetRequest request) {
        return Panache.withTransaction(() -> tiers.update(id, request));
    }

    @GET
    @Path("/tier-sets")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<List<TierSetView>> tierSets() {
        return Panache.withSession(tiers::list);
    }

    @GET
    @Path("/tier-sets/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<TierSetView> tierSet(@PathParam("id") UUID id) {
        return Panache.withSession(() -> tiers.get(id));
    }

    @POST
    @Path("/earn-rules")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Create an earn rule", description = "order: pointsPerUnit per unit of currency spent (pending until the refund "
            + "window closes); engagement: points per interaction of a type; challenge, referral: points per completion; optional "
            + "capPoints per customer and capPeriod (day, week, month, year).")
    public Uni<Response> createRule(EarnRuleRequest request) {
        return Panache.withTransaction(() -> rules.create(request, caller.name()))
                .map(r -> Response.created(URI.create("/api/loyalty/earn-rules/" + r.id())).entity(r).build());
    }

    @PUT
    @Path("/earn-rules/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Change an earn rule", description = "With the version you read (409 when it changed); applies to later events.")
    public Uni<EarnRuleView> updateRule(@PathParam("id") UUID id, EarnRuleRequest request) {
        return Panache.withTransaction(() -> rules.update(id, request));
    }

    @GET
    @Path("/earn-rules")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST })
    public Uni<List<EarnRuleView>> rules() {
        return Panache.withSession(rules::list);
    }

    @GET
    @Path("/earn-rules/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST })
    public Uni<EarnRuleView> rule(@PathParam("id") UUID id) {
        return Panache.withSession(() -> rules.get(id));
    }

    @POST
    @Path("/rewards")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Add a reward to the catalogue", description = "A point price, stock (unlimited when left out), a limit per member, "
            + "the loyalty tiers that may redeem it (all when empty) and when it is on offer.")
    public Uni<Response> createReward(RewardRequest request) {
        return Panache.withTransaction(() -> rewards.create(request, caller.name()))
                .map(r -> Response.created(URI.create("/api/loyalty/rewards/" + r.id())).entity(r).build());
    }

    @PUT
    @Path("/rewards/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Change a reward", description = "With the version you read (409 when it changed).")
    public Uni<RewardView> updateReward(@PathParam("id") UUID id, RewardRequest request) {
        return Panache.withTransaction(() -> rewards.update(id, request));
    }

    @GET
    @Path("/rewards")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    @Operation(summary = "The rewards catalogue", description = "By price. Members (and onOffer=true) see only what can be redeemed now.")
    public Uni<List<RewardView>> rewards(@QueryParam("onOffer") Boolean onOffer) {
        boolean staff = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.COMMUNITY_MANAGER) || caller.hasRole(Roles.ANALYST);
        return Panache.withSession(() -> rewards.list(!staff || Boolean.TRUE.equals(onOffer)));
    }

    @GET
    @Path("/rewards/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<RewardView> reward(@PathParam("id") UUID id) {
        return Panache.withSession(() -> rewards.get(id));
    }
}
