package io.custops.segmentation.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobs;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.segmentation.clusters.ClusterJob;
import io.custops.segmentation.clusters.Clusters;
import io.custops.segmentation.rest.dto.ClusterView;
import io.custops.segmentation.rest.dto.ConfigUpdate;
import io.custops.segmentation.rest.dto.Distribution;
import io.custops.segmentation.rest.dto.RecomputeRequest;
import io.custops.segmentation.rest.dto.ScoreResponse;
import io.custops.segmentation.rest.dto.StageChange;
import io.custops.segmentation.scoring.RecomputeJob;
import io.custops.segmentation.scoring.ScoringConfig;
import io.custops.segmentation.scoring.ScoringModels;
import io.custops.segmentation.service.ScoreQueryService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/scores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scores")
@SecurityRequirement(name = "SecurityScheme")
public class ScoreResource {
    private final ScoreQueryService service;
    private final ScoringModels models;
    private final RecomputeJob recompute;
    private final BatchJobs jobs;
    private final Clusters clusters;
    private final ClusterJob clusterJob;
    private final Caller caller;

    public ScoreResource(ScoreQueryService service, ScoringModels models, RecomputeJob recompute, BatchJobs jobs,
            Clusters clusters, ClusterJob clusterJob, Caller caller) {
        this.service = service;
        this.models = models;
        this.recompute = recompute;
        this.jobs = jobs;
        this.clusters = clusters;
        this.clusterJob = clusterJob;
        this.caller = caller;
    }

    @GET
    @Path("/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE, Roles.MEMBER })
    @Operation(summary = "Read a customer's scores with their explanation", description = """
            RFM scores, value score and tier, value level, grades and strategy cell, health index, churn risk, \
            lifecycle stage and the rollup they come from, kept current from events within seconds. Each score comes \
            with its explanation: the inputs and the rule, with the edges and cut-offs of the scoring model that \
            applied it (modelVersion). Rules: R = 5 − (recency edges below the days since the last order); F and \
            M = 1 + (edges below the window's orders and net spend); value score = weighted mean of R, F, M; tier A/B/C \
            when (value score, window monetary) reaches the tier's cut-off, else D; value level prospect / new / active / \
            loyal (F ≥ 4, R ≥ 3) / champion (R, F, M ≥ 4); health 0–100 = weighted activity, purchase frequency against \
            the own cycle, and interaction depth; churn risk on a purchase gap past the own cycle × factor, no touch \
            for N days, or a sharp interaction drop; lifetime value = historic net spend, and a predicted 12-month \
            value = P(alive) × 365 ÷ own cycle × order value (P(alive) = exp(−max(0, days since the last order − cycle) \
            ÷ cycle); the cycle of one-order customers is the population median; the order value is the own average \
            blended with ltvPriorOrders orders at the population mean). The prediction assumes purchases continue at \
            the customer's own rhythm while active; it ignores seasonality, discounts and margins. A member can read \
            only their own.""")
    public Uni<ScoreResponse> get(@PathParam("customerId") UUID customerId) {
        caller.requireAccessTo(customerId);
        return service.get(customerId);
    }

    @GET
    @Path("/{customerId}/lifecycle")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE, Roles.MEMBER })
    @Operation(summary = "A customer's lifecycle stage history", description = "Transitions newest first; pass the "
            + "last id as `before` for the next page.")
    public Uni<List<StageChange>> history(@PathParam("customerId") UUID customerId, @QueryParam("before") Long before,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        caller.requireAccessTo(customerId);
        if (limit < 1 || limit > 500) {
            throw ProblemException.badRequest("limit must be 1–500.", List.of(new io.custops.platform.problem.Problem.FieldError("limit", "must be 1–500")));
        }
        return service.history(customerId, before, limit);
    }

    @GET
    @Path("/distribution")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "Tier, value level, stage, strategy and health distributions", description = "Counts over all "
            + "customers, with at-risk (health under the threshold) and churn-risk totals.")
    public Uni<Distribution> distribution() {
        return service.distribution();
    }

    @GET
    @Path("/model")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "The current scoring model", description = "The configuration in force and the bin edges and "
            + "tier cut-offs measured over the active base when the model was computed.")
    @WithSession
    public Uni<ScoringModels.Model> model() {
        return models.model(null).map(model -> {
            if (model == null) {
                throw ProblemException.notFound("No scoring model has been computed yet.");
            }
            return model;
        });
    }

    @GET
    @Path("/config")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "The scoring configuration")
    @WithSession
    public Uni<ScoringConfig> config() {
        return models.config();
    }

    @PUT
    @Path("/config")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace the scoring configuration", description = "Validated (400 names each bad field); "
            + "queues a recompute from the facts that applies it to every customer.")
    public Uni<ConfigUpdate> putConfig(ScoringConfig config) {
        if (config == null) {
            throw ProblemException.badRequest("A scoring configuration is required.", List.of());
        }
        return Panache.withTransaction(() -> models.putConfig(config, caller.name())
                .flatMap(saved -> recompute.queue(true, "configuration changed by " + caller.name())
                        .map(job -> new ConfigUpdate(saved, job))));
    }

    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Recompute every customer's scores", description = "Queues a job (202): optionally the rollups "
            + "from the raw facts, then a new model over the active base, then every customer's scores. Follow it at "
            + "/api/scores/jobs/{id}.")
    public Uni<Response> recompute(RecomputeRequest request) {
        boolean fromFacts = request != null && request.fromFacts();
        return Panache.withTransaction(() -> recompute.queue(fromFacts, "requested by " + caller.name()))
                .map(job -> Response.accepted(job).location(java.net.URI.create("/api/scores/jobs/" + job.id())).build());
    }

    @GET
    @Path("/clusters")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "The current customer clusters", description = "k-means++ over standardised R, F, M, health and "
            + "activity, fitted on a sample; k from 2 to 8 by the highest mean silhouette; each centroid described in "
            + "business terms with its size. Refreshed weekly and on demand.")
    @WithSession
    public Uni<ClusterView> clusters() {
        return clusters.current();
    }

    @POST
    @Path("/clusters/jobs")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Recompute the clusters", description = "Queues a job (202): fit on a sample, then assign every "
            + "customer with orders. Follow it at /api/scores/clusters/jobs/{id}.")
    public Uni<Response> recluster() {
        return Panache.withTransaction(() -> clusterJob.queue("requested by " + caller.name()))
                .map(job -> Response.accepted(job).location(java.net.URI.create("/api/scores/clusters/jobs/" + job.id())).build());
    }

    @GET
    @Path("/clusters/jobs/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.ANALYST })
    @Operation(summary = "A clustering job's state and progress")
    @WithSession
    public Uni<BatchJob> clusterJob(@PathParam("id") UUID id) {
        return jobs.get(id, ClusterJob.KIND);
    }

    @GET
    @Path("/jobs/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.ANALYST })
    @Operation(summary = "A recompute job's state and progress")
    @WithSession
    public Uni<BatchJob> job(@PathParam("id") UUID id) {
        return jobs.get(id, RecomputeJob.KIND);
    }
}
