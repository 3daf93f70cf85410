package io.custops.community.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.community.loyalty.Ledger;
import io.custops.community.loyalty.LoyaltyTiers;
import io.custops.community.loyalty.Redemptions;
import io.custops.community.loyalty.RetiredCustomers;
import io.custops.community.rest.dto.LoyaltyDtos.Adjustment;
import io.custops.community.rest.dto.LoyaltyDtos.Balance;
import io.custops.community.rest.dto.LoyaltyDtos.Entry;
import io.custops.community.rest.dto.LoyaltyDtos.EntryPage;
import io.custops.community.rest.dto.LoyaltyDtos.MemberTierView;
import io.custops.community.rest.dto.LoyaltyDtos.RedemptionRequest;
import io.custops.community.rest.dto.LoyaltyDtos.RedemptionView;
import io.custops.platform.audit.AuditLog;
import io.custops.platform.idempotency.IdempotencyStore;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A customer's points, ledger and redemptions, for staff ({@code /customers/{id}}) and for the member themselves
 * ({@code /me}, or their own id). A member reaching another customer's id gets 404.
 */
@Path("/api/loyalty")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Loyalty")
@SecurityRequirement(name = "SecurityScheme")
public class LoyaltyResource {
    static final String ADJUST = "points.adjust";

    private final Ledger ledger;
    private final Redemptions redemptions;
    private final LoyaltyTiers tiers;
    private final Caller caller;
    private final AuditLog audit;

    public LoyaltyResource(Ledger ledger, Redemptions redemptions, LoyaltyTiers tiers, Caller caller, AuditLog audit) {
        this.ledger = ledger;
        this.redemptions = redemptions;
        this.tiers = tiers;
        this.caller = caller;
        this.audit = audit;
    }

    @GET
    @Path("/customers/{id}/points")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    @Operation(summary = "A customer's points", description = "Available (after debts and open reservations), pending (orders in their "
            + "refund window), reserved, debt, expiring within the notice period and the next expiry, lifetime totals.")
    public Uni<Balance> balance(@PathParam("id") UUID customer) {
        caller.requireAccessTo(customer);
        return Panache.withSession(() -> RetiredCustomers.requireLive(customer).flatMap(ledger::balance));
    }

    @GET
    @Path("/customers/{id}/points/entries")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    @Operation(summary = "A customer's ledger", description = "Newest first, 50 by default (at most 500); pass nextBefore as before for the next page.")
    public Uni<EntryPage> entries(@PathParam("id") UUID customer, @QueryParam("before") Long before, @QueryParam("limit") Integer limit) {
        caller.requireAccessTo(customer);
        int size = pageSize(limit);
        return Panache.withSession(() -> RetiredCustomers.requireLive(customer).flatMap(live -> ledger.entries(live, before, size)))
                .map(entries -> new EntryPage(entries, entries.size() < size ? null : entries.get(entries.size() - 1).id()));
    }

    @POST
    @Path("/customers/{id}/points/adjustments")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Adjust a customer's points", description = "A positive correction credits available points; a negative one takes "
            + "points back (409 beyond what is available). The note is required; every adjustment is audited.")
    public Uni<Response> adjust(@PathParam("id") UUID customer, Adjustment adjustment) {
        if (adjustment == null || adjustment.points() == null || adjustment.points() == 0 || Math.abs(adjustment.points()) > 10_000_000
                || adjustment.note() == null || adjustment.note().isBlank() || adjustment.note().length() > 500) {
            throw ProblemException.badRequest("An adjustment needs non-zero points (at most 10,000,000 either way) and a note.",
                    List.of(new Problem.FieldError("points", "non-zero, at most 10000000 either way"),
                            new Problem.FieldError("note", "required, at most 500 characters")));
        }
        return Panache.withTransaction(() -> RetiredCustomers.requireLive(customer)
                .flatMap(live -> ledger.adjust(live, adjustment.points(), adjustment.note().trim(), caller.name())
                        .call(entry -> audit.record(caller.name(), ADJUST, live, "points=" + adjustment.points() + "; entry=" + entry
                                + "; note=" + adjustment.note().trim()))
                        .flatMap(entry -> ledger.entries(live, entry + 1, 1))))
                .map(entries -> Response.status(201).entity(entries.get(0)).build());
    }

    @GET
    @Path("/customers/{id}/redemptions")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<List<RedemptionView>> redemptionsOf(@PathParam("id") UUID customer, @QueryParam("limit") Integer limit) {
        caller.requireAccessTo(customer);
        return Panache.withSession(() -> RetiredCustomers.requireLive(customer).flatMap(live -> redemptions.ofCustomer(live, pageSize(limit))));
    }

    @GET
    @Path("/customers/{id}/tiers")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    @Operation(summary = "A customer's loyalty tiers", description = "Per active tier set: the tier and its benefits, since when, a pending "
            + "downgrade, the qualifying value and what is missing to the next tier.")
    public Uni<List<MemberTierView>> tiersOf(@PathParam("id") UUID customer) {
        caller.requireAccessTo(customer);
        return Panache.withSession(() -> RetiredCustomers.requireLive(customer).flatMap(tiers::of));
    }

    @GET
    @Path("/me/tiers")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My loyalty tiers")
    public Uni<List<MemberTierView>> myTiers() {
        return tiersOf(caller.requireOwnCustomerId());
    }

    @GET
    @Path("/me/points")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My points")
    public Uni<Balance> myBalance() {
        return balance(caller.requireOwnCustomerId());
    }

    @GET
    @Path("/me/points/entries")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My points history")
    public Uni<EntryPage> myEntries(@QueryParam("before") Long before, @QueryParam("limit") Integer limit) {
        return entries(caller.requireOwnCustomerId(), before, limit);
    }

    @GET
    @Path("/me/redemptions")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My redemptions")
    public Uni<List<RedemptionView>> myRedemptions(@QueryParam("limit") Integer limit) {
        return redemptionsOf(caller.requireOwnCustomerId(), limit);
    }

    @POST
    @Path("/redemptions")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.MEMBER })
    @Operation(summary = "Redeem a reward", description = "Reserves the reward's points and a unit of stock (201, status reserved, held for "
            + "the reservation hold), or with confirm=true reserves and confirms at once. 409 when the points, the stock, the member's limit, "
            + "the tier or the offer do not allow it. A member redeems for themselves only. An Idempotency-Key returns the first "
            + "redemption on retries.")
    public Uni<Response> redeem(RedemptionRequest request, @HeaderParam(IdempotencyStore.HEADER) String key) {
        if (request == null || request.rewardId() == null) {
            throw ProblemException.badRequest("A reward is required.", List.of(new Problem.FieldError("rewardId", "is required")));
        }
        UUID customer = request.customerId() == null && caller.customerId().isPresent() ? caller.customerId().get() : request.customerId();
        if (customer == null) {
            throw ProblemException.badRequest("A customer is required.", List.of(new Problem.FieldError("customerId", "is required")));
        }
        caller.requireAccessTo(customer);
        String idempotency = IdempotencyStore.validKey(key).orElse(null);
        return Panache.withTransaction(() -> RetiredCustomers.requireLive(customer)
                .flatMap(live -> redemptions.reserve(live, request.rewardId(), idempotency, caller.name()))
                .flatMap(reserved -> Boolean.TRUE.equals(request.confirm()) ? redemptions.confirm(reserved) : Uni.createFrom().item(reserved)))
                .map(r -> Response.created(URI.create("/api/loyalty/redemptions/" + r.id())).entity(r).build());
    }

    @GET
    @Path("/redemptions/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<RedemptionView> redemption(@PathParam("id") UUID id) {
        return Panache.withSession(() -> own(id));
    }

    @POST
    @Path("/redemptions/{id}/confirm")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.MEMBER })
    @Operation(summary = "Confirm a reserved redemption", description = "Debits the points (PointsRedeemed); 409 when it lapsed or was cancelled.")
    public Uni<RedemptionView> confirm(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> own(id).flatMap(redemptions::confirm));
    }

    @POST
    @Path("/redemptions/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.MEMBER })
    @Operation(summary = "Cancel a reserved redemption", description = "Its points and stock come back; 409 once confirmed.")
    public Uni<RedemptionView> cancel(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> own(id).flatMap(redemptions::cancel));
    }

    /** The redemption, if the caller may reach its customer (a member: only their own; others answer 404). */
    private Uni<RedemptionView> own(UUID id) {
        return redemptions.get(id).map(r -> {
            try {
                caller.requireAccessTo(r.customerId());
            } catch (ProblemException e) {
                throw ProblemException.notFound("No redemption " + id + ".");
            }
            return r;
        });
    }

    private static int pageSize(Integer limit) {
        if (limit != null && (limit < 1 || limit > 500)) {
            throw ProblemException.badRequest("limit must be 1 to 500.", List.of(new Problem.FieldError("limit", "1 to 500")));
        }
        return limit == null ? 50 : limit;
    }
}
