package io.custops.campaign.rest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.campaign.config.DeliveryConfig;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/campaigns/safeguards")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Safeguards")
@SecurityRequirement(name = "SecurityScheme")
public class SafeguardResource {
    private final DeliveryConfig config;
    private final Caller caller;

    public SafeguardResource(DeliveryConfig config, Caller caller) {
        this.config = config;
        this.caller = caller;
    }

    /** The safeguards every send passes; {@code globalControlPercent} is changed at run time, the others by configuration. */
    public record Safeguards(BigDecimal globalControlPercent, Map<String, Map<String, Object>> frequencyCaps, Map<String, String> tierCadence,
            Map<String, Object> quietHours, Map<String, BigDecimal> messageCost) {
    }

    public record GlobalControl(BigDecimal globalControlPercent) {
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "The safeguards in force", description = "Frequency caps per channel and window (marketing; transactional "
            + "messages are exempt), tier cadence, quiet hours in the customer's time zone, message costs, and the global control group.")
    public Uni<Safeguards> get() {
        return Panache.withSession(() -> NativeSql.single("SELECT value FROM campaign_setting WHERE key = 'global-control-percent'",
                String.class, Map.of()))
                .map(share -> {
                    Map<String, Map<String, Object>> caps = new java.util.TreeMap<>();
                    config.frequencyCaps().forEach((channel, cap) -> caps.put(channel, Map.of("max", cap.max(), "window", cap.window().toString())));
                    Map<String, String> cadence = new java.util.TreeMap<>();
                    config.tierCadence().forEach((tier, window) -> cadence.put(tier, window.toString()));
                    return new Safeguards(new BigDecimal(share), caps, cadence, Map.of("enabled", config.quietHours().enabled(),
                            "start", config.quietHours().start().toString(), "end", config.quietHours().end().toString(),
                            "mode", config.quietHours().mode(), "defaultTimeZone", config.quietHours().defaultTimeZone()),
                            new java.util.TreeMap<>(config.messageCost()));
                });
    }

    @PUT
    @Path("/global-control")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set the global control group", description = "0 to 20 percent of customers, chosen by a stable hash of the "
            + "customer id, receive no marketing at all (suppressed as global-control), so the lift of all marketing can be measured.")
    public Uni<Safeguards> setGlobalControl(GlobalControl request) {
        if (request == null || request.globalControlPercent() == null || request.globalControlPercent().signum() < 0
                || request.globalControlPercent().compareTo(BigDecimal.valueOf(20)) > 0) {
            throw ProblemException.badRequest("The global control group is 0 to 20 percent.",
                    List.of(new Problem.FieldError("globalControlPercent", "must be 0 to 20")));
        }
        return Panache.withTransaction(() -> NativeSql.execute("""
                UPDATE campaign_setting SET value = :value, updated_by = :actor, updated_at = now() WHERE key = 'global-control-percent'""",
                Map.of("value", request.globalControlPercent().toPlainString(), "actor", caller.name())))
                .flatMap(x -> get());
    }
}
