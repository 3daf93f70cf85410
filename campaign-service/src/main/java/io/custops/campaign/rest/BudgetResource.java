package io.custops.campaign.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.campaign.budgets.Budgets;
import io.custops.campaign.rest.dto.BudgetDtos.PeriodRequest;
import io.custops.campaign.rest.dto.BudgetDtos.PeriodView;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
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

@Path("/api/campaigns/budgets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Budgets")
@SecurityRequirement(name = "SecurityScheme")
public class BudgetResource {
    private final Budgets budgets;
    private final Caller caller;

    public BudgetResource(Budgets budgets, Caller caller) {
        this.budgets = budgets;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a budget period", description = "Splits the period's total into pools: strategic 15%, tactical "
            + "45%, operational 40% unless `shares` says otherwise. Campaigns and coupon pools name the pool they draw on; a "
            + "campaign stops sending (suppressed as budget-exhausted) when its pool is spent.")
    public Uni<Response> create(PeriodRequest request) {
        return Panache.withTransaction(() -> budgets.create(request, caller.name()))
                .map(p -> Response.created(URI.create("/api/campaigns/budgets/" + p.id())).entity(p).build());
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Budget periods", description = "Newest first, each with its pools' amount, spent and remaining.")
    public Uni<List<PeriodView>> list() {
        return Panache.withSession(() -> budgets.periods().flatMap(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(budgets::get).collect().asList()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    public Uni<PeriodView> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> budgets.get(id));
    }
}
