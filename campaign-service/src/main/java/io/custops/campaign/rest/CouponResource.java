package io.custops.campaign.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.campaign.coupons.Coupons;
import io.custops.campaign.rest.dto.CouponDtos.CouponView;
import io.custops.campaign.rest.dto.CouponDtos.IssueRequest;
import io.custops.campaign.rest.dto.CouponDtos.PoolRequest;
import io.custops.campaign.rest.dto.CouponDtos.PoolView;
import io.custops.campaign.rest.dto.CouponDtos.RedeemRequest;
import io.custops.campaign.rest.dto.CouponDtos.Upload;
import io.custops.campaign.rest.dto.CouponDtos.UploadResult;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/coupons")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Coupons")
@SecurityRequirement(name = "SecurityScheme")
public class CouponResource {
    private final Coupons coupons;
    private final Caller caller;

    public CouponResource(Coupons coupons, Caller caller) {
        this.coupons = coupons;
        this.caller = caller;
    }

    @POST
    @Path("/pools")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create a coupon pool", description = "Generated (codes made at issuance) or uploaded (codes loaded first); "
            + "a limit per customer, expiry days after issuance and/or a fixed end, and the cost of a redemption.")
    public Uni<Response> create(PoolRequest request) {
        return Panache.withTransaction(() -> coupons.create(request, caller.name()))
                .map(p -> Response.created(URI.create("/api/coupons/pools/" + p.id())).entity(p).build());
    }

    @GET
    @Path("/pools")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    public Uni<List<PoolView>> pools() {
        return Panache.withSession(coupons::pools);
    }

    @GET
    @Path("/pools/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "A pool with its counts", description = "Available, issued, redeemed and expired codes, and the redemption rate.")
    public Uni<PoolView> pool(@PathParam("id") UUID id) {
        return Panache.withSession(() -> coupons.pool(id));
    }

    @POST
    @Path("/pools/{id}/close")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Close a pool", description = "No more coupons are issued from it; issued ones stay redeemable until they expire.")
    public Uni<PoolView> close(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> coupons.close(id));
    }

    @POST
    @Path("/pools/{id}/codes")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Upload codes", description = "Up to 10,000 codes per call into an uploaded pool; known codes count as duplicates.")
    public Uni<UploadResult> upload(@PathParam("id") UUID id, Upload upload) {
        return Panache.withTransaction(() -> coupons.upload(id, upload == null ? null : upload.codes()));
    }

    @POST
    @Path("/pools/{id}/issue")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.INTEGRATOR })
    @Operation(summary = "Issue a coupon to a customer", description = "Within the pool's per-customer limit (409 beyond it, or when the "
            + "pool is closed, expired or out of codes); an Idempotency-Key issues one coupon however often it is retried. Publishes CouponIssued.")
    public Uni<CouponView> issue(@PathParam("id") UUID id, IssueRequest request, @HeaderParam("Idempotency-Key") String key) {
        return Panache.withTransaction(() -> coupons.issue(id, request == null ? null : request.customerId(), "api",
                key == null ? null : "api:" + caller.name() + ":" + key));
    }

    @POST
    @Path("/redeem")
    @RolesAllowed({ Roles.ADMIN, Roles.INTEGRATOR })
    @Operation(summary = "Redeem a coupon", description = "For its customer, once, before it expires (orders can also name coupons in "
            + "OrderPlaced couponCodes). Publishes CouponRedeemed.")
    public Uni<CouponView> redeem(RedeemRequest request) {
        return Panache.withTransaction(() -> coupons.redeem(request == null ? null : request.code(),
                request == null ? null : request.customerId(), request == null ? null : request.orderId()));
    }

    @GET
    @Path("/customers/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.MEMBER })
    @Operation(summary = "A customer's coupons", description = "A member sees only their own.")
    public Uni<List<CouponView>> ofCustomer(@PathParam("customerId") UUID customer) {
        caller.requireAccessTo(customer);
        return Panache.withSession(() -> coupons.ofCustomer(customer));
    }
}
