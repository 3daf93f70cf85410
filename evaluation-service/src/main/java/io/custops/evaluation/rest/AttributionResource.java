package io.custops.evaluation.rest;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.evaluation.attribution.Attribution;
import io.custops.evaluation.kpis.KpiQueries;
import io.custops.evaluation.kpis.KpiRollup;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Which channels and campaigns the conversions owe to, by six models side by side, with the paths behind them. */
@Path("/api/attribution")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Attribution")
@SecurityRequirement(name = "SecurityScheme")
public class AttributionResource {
    private static final int MAX_DAYS = 366;

    private final Attribution attribution;
    private final KpiQueries queries;
    private final KpiRollup rollup;

    public AttributionResource(Attribution attribution, KpiQueries queries, KpiRollup rollup) {
        this.attribution = attribution;
        this.queries = queries;
        this.rollup = rollup;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Attribution of conversions", description = "Orders placed from `from` to `to` (dates, inclusive; default the last 30 "
            + "days) credited `by` channel (default) or campaign under first touch, last touch, linear, time decay (`halfLife`, ISO-8601 "
            + "duration, default P7D), position based (40/20/40) and the Markov-chain removal effect. A path is the customer's touches in the "
            + "`lookback` (default P30D) before the order and after their previous order; touches are messages opened or clicked "
            + "(`touch=engaged`, default) or all sent (`touch=sent`). Each model gives fractional conversions and revenue (reporting "
            + "currency) per key, with the path counts and the most common paths.")
    public Uni<Attribution.Report> attribute(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("by") String by,
            @QueryParam("halfLife") String halfLife, @QueryParam("lookback") String lookback, @QueryParam("touch") String touch,
            @QueryParam("top") Integer top) {
        LocalDate last = to == null || to.isBlank() ? queries.today() : KpiQueries.date("to", to);
        LocalDate first = from == null || from.isBlank() ? last.minusDays(29) : KpiQueries.date("from", from);
        if (first.isAfter(last) || first.plusDays(MAX_DAYS).isBefore(last)) {
            throw ProblemException.badRequest("from must be before to, at most " + MAX_DAYS + " days apart",
                    List.of(new Problem.FieldError("from", "out of range")));
        }
        String key = by == null || by.isBlank() ? "channel" : by;
        if (!"channel".equals(key) && !"campaign".equals(key)) {
            throw ProblemException.badRequest("by must be channel or campaign", List.of(new Problem.FieldError("by", "channel or campaign")));
        }
        String touches = touch == null || touch.isBlank() ? "engaged" : touch;
        if (!"engaged".equals(touches) && !"sent".equals(touches)) {
            throw ProblemException.badRequest("touch must be engaged or sent", List.of(new Problem.FieldError("touch", "engaged or sent")));
        }
        int topPaths = top == null ? 10 : top;
        if (topPaths < 0 || topPaths > 100) {
            throw ProblemException.badRequest("top must be 0 to 100", List.of(new Problem.FieldError("top", "0 to 100")));
        }
        Attribution.Query query = new Attribution.Query(first, last, key, duration("lookback", lookback, Duration.ofDays(30)),
                duration("halfLife", halfLife, Duration.ofDays(7)), "engaged".equals(touches), topPaths, rollup.zone(), rollup.currency());
        return Panache.withSession(() -> attribution.attribute(query));
    }

    private static Duration duration(String field, String value, Duration otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
                throw ProblemException.badRequest(field + " must be positive and at most a year", List.of(new Problem.FieldError(field, "out of range")));
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field + " must be an ISO-8601 duration such as P7D", List.of(new Problem.FieldError(field, "not a duration")));
        }
    }
}
