package io.custops.evaluation.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.evaluation.experiments.ExperimentAnalysis;
import io.custops.evaluation.experiments.ExperimentDtos.ExperimentResult;
import io.custops.evaluation.experiments.ExperimentDtos.ExperimentSummary;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The A/B tests of campaigns and journey splits, with their statistics. */
@Path("/api/experiments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Experiments")
@SecurityRequirement(name = "SecurityScheme")
public class ExperimentResource {
    private final ExperimentAnalysis analysis;

    public ExperimentResource(ExperimentAnalysis analysis) {
        this.analysis = analysis;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Experiments", description = "Every campaign A/B test and journey split seen in VariantAssigned, newest first.")
    public Uni<List<ExperimentSummary>> list() {
        return Panache.withSession(analysis::list);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "An experiment's results", description = "Arms; per variant and metric (conversion, revenue; for campaigns open, "
            + "click, unsubscribe) the z-test or Welch t-test with 95% interval, CUPED for revenue, Bayesian probability to beat the baseline "
            + "and expected loss, the always-valid (mSPRT) p-value and its Holm correction; the sample-ratio check; the verdict. "
            + "A journey split is named by step.")
    public Uni<ExperimentResult> get(@PathParam("id") UUID id, @QueryParam("step") String step) {
        return Panache.withSession(() -> analysis.analyse(id, step, false));
    }
}
