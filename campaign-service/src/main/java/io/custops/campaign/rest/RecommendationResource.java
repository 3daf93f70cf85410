package io.custops.campaign.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.campaign.service.Recommendations;
import io.custops.campaign.service.Recommendations.Recommendation;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/campaigns/recommendations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recommendations")
@SecurityRequirement(name = "SecurityScheme")
public class RecommendationResource {
    private final Recommendations recommendations;

    public RecommendationResource(Recommendations recommendations) {
        this.recommendations = recommendations;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "Customers who bought this also bought", description = """
            Item-to-item co-purchase recommendations, fresh with every order: for `sku` (repeatable), the SKUs most \
            customers bought as well, with how many (`customers`) and the confidence P(other | sku); for `customerId`, \
            what goes with the customer's latest purchases, without what they have already.""")
    public Uni<List<Recommendation>> recommend(@QueryParam("sku") List<String> skus, @QueryParam("customerId") UUID customer,
            @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(100) int limit) {
        if ((skus == null || skus.isEmpty()) && customer == null) {
            throw ProblemException.badRequest("Give a sku or a customerId.", List.of(new Problem.FieldError("sku", "or customerId is required")));
        }
        return Panache.withSession(() -> skus == null || skus.isEmpty() ? recommendations.forCustomer(customer, limit)
                : recommendations.forItems(skus, customer, limit));
    }
}
