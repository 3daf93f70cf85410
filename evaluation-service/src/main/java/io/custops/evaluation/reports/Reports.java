package io.custops.evaluation.reports;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.evaluation.kpis.KpiQueries;
import io.custops.evaluation.kpis.KpiRollup;
import io.custops.evaluation.kpis.Periods;
import io.custops.evaluation.reports.ReportDtos.AlertLine;
import io.custops.evaluation.reports.ReportDtos.Body;
import io.custops.evaluation.reports.ReportDtos.Digest;
import io.custops.evaluation.reports.ReportDtos.Extras;
import io.custops.evaluation.reports.ReportDtos.KpiLine;
import io.custops.evaluation.reports.ReportDtos.Mover;
import io.custops.evaluation.reports.ReportDtos.Report;
import io.custops.evaluation.reports.ReportDtos.ReportPage;
import io.custops.evaluation.reports.ReportDtos.ReportRequest;
import io.custops.evaluation.reports.ReportDtos.Window;
import io.custops.evaluation.scorecard.ScorecardStore;
import io.custops.events.EventType;
import io.custops.events.payload.ReportPublished;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.persistence.TimeKeyset;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reviews from the rollups: what a report covers ({@link #plan}), its request as a job resource, its build
 * (summary, movers and their drivers, recommendations, alerts; for the quarterly review the scorecard and the tier
 * migration), its publication with {@code ReportPublished}, and the scheduled monthly and quarterly reviews.
 */
@ApplicationScoped
public class Reports {
    private static final Logger LOG = Logger.getLogger(Reports.class);
    private static final int MAX_PERIODS = 400;
    private static final java.time.Duration STALE = java.time.Duration.ofMinutes(10);
    private static final String COLUMNS = "id, kind, grain, period_start, period_end, comparison_start, comparison_end, programme_start, status,"
            + " scheduled, requested_by, requested_at, published_at, error, body ->> 'headline',"
            + " CAST(jsonb_path_query_array(body, '$.recommendations[0 to 2].text') AS text)";

    /** What a report covers: its grain, the period (a window of whole periods), the comparison window and, quarterly, a year before. */
    public record Plan(String kind, String grain, Window period, Window comparison, Window yearAgo, LocalDate programmeStart) {
    }

    private final KpiQueries queries;
    private final KpiRollup rollup;
    private final ScorecardStore scorecards;
    private final EventOutbox outbox;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Optional<LocalDate> programmeStart;
    private final double minChange;
    private final double minVolume;
    private final java.time.Duration delay;

    public Reports(KpiQueries queries, KpiRollup rollup, ScorecardStore scorecards, EventOutbox outbox, ObjectMapper mapper, Clock clock,
            @ConfigProperty(name = "custops.reports.programme-start") Optional<LocalDate> programmeStart,
            @ConfigProperty(name = "custops.reports.min-change", defaultValue = "0.05") double minChange,
            @ConfigProperty(name = "custops.reports.min-volume", defaultValue = "20") double minVolume,
            @ConfigProperty(name = "custops.reports.delay", defaultValue = "6h") java.time.Duration delay) {
        this.queries = queries;
        this.rollup = rollup;
        this.scorecards = scorecards;
        this.outbox = outbox;
        this.mapper = mapper;
        this.clock = clock;
        this.programmeStart = programmeStart;
        this.minChange = minChange;
        this.minVolume = minVolume;
        this.delay = delay;
    }

    /**
     * The windows of a requested report. Monthly and quarterly: the period containing {@code period} (default: the last
     * complete one) against the one before. Baseline: the programme's whole months from the month of its start to the
     * month containing {@code period} (default: the last complete month), against the three months before its start.
     */
    public Plan plan(ReportRequest request) {
        if (request == null || request.kind() == null) {
            throw ProblemException.badRequest("kind is required", List.of(new Problem.FieldError("kind", "monthly, quarterly or baseline")));
        }
        LocalDate today = queries.today();
        if (request.period() != null && request.period().isAfter(today)) {
            throw ProblemException.badRequest("period is in the future", List.of(new Problem.FieldError("period", "not after " + today)));
        }
        return switch (request.kind()) {
            case "monthly", "quarterly" -> {
                String grain = "monthly".equals(request.kind()) ? "month" : "quarter";
                LocalDate start = Periods.start(grain, request.period() != null ? request.period() : today.minus(Periods.length(grain)));
                Window yearAgo = "quarter".equals(grain) ? window(grain, start.minusYears(1), 1) : null;
                yield new Plan(request.kind(), grain, window(grain, start, 1), window(grain, start.minus(Periods.length(grain)), 1), yearAgo, null);
            }
            case "baseline" -> {
                LocalDate programme = request.programmeStart() != null ? request.programmeStart() : programmeStart.orElseThrow(() ->
                        ProblemException.badRequest("programmeStart is required (or set custops.reports.programme-start)",
                                List.of(new Problem.FieldError("programmeStart", "the programme's start date"))));
                LocalDate first = Periods.start("month", programme);
                LocalDate last = Periods.start("month", request.period() != null ? request.period() : today.minusMonths(1));
                if (last.isBefore(first)) {
                    throw ProblemException.badRequest("the programme has no month to compare yet",
                            List.of(new Problem.FieldError(request.period() != null ? "period" : "programmeStart", "the month of the start has not begun")));
                }
                int months = Periods.between("month", first, last) + 1;
                if (months > MAX_PERIODS) {
                    throw ProblemException.badRequest("at most " + MAX_PERIODS + " months", List.of(new Problem.FieldError("programmeStart", "too long ago")));
                }
                yield new Plan("baseline", "month", window("month", first, months), window("month", first.minusMonths(3), 3), null, programme);
            }
            default -> throw ProblemException.badRequest("unknown kind", List.of(new Problem.FieldError("kind", "monthly, quarterly or baseline")));
        };
    }

    private static Window window(String grain, LocalDate start, int periods) {
        return new Window(start, start.plus(Periods.length(grain).multipliedBy(periods)).minusDays(1), periods);
    }

    /** Records a requested report (building); {@link #build} makes it. */
    public Uni<Report> request(Plan plan, String actor) {
        return insert(plan, actor, false).flatMap(id -> get(id.orElseThrow()));
    }

    /** Records the report unless a scheduled one of its kind and period exists; the new id, if any. */
    private Uni<Optional<UUID>> insert(Plan plan, String actor, boolean scheduled) {
        return NativeSql.list("""
                INSERT INTO report (id, kind, grain, period_start, period_end, comparison_start, comparison_end, programme_start, status, scheduled,
                    requested_by, requested_at)
                VALUES (:id, :kind, :grain, :start, :end, :cstart, :cend, :programme, 'building', :scheduled, :actor, :now)
                ON CONFLICT (kind, period_start) WHERE scheduled DO NOTHING RETURNING id""", UUID.class,
                NativeSql.params("id", UUID.randomUUID(), "kind", plan.kind(), "grain", plan.grain(), "start", plan.period().start(), "end",
                        plan.period().end(), "cstart", plan.comparison().start(), "cend", plan.comparison().end(), "programme", plan.programmeStart(),
                        "scheduled", scheduled, "actor", actor, "now", NativeSql.utc(clock.instant())))
                .map(ids -> ids.stream().findFirst());
    }

    /** Builds a recorded report and publishes it with its event in one transaction; a failure is recorded on the report. */
    public Uni<Report> build(UUID id) {
        return Panache.withTransaction(() -> get(id).flatMap(report -> compose(report).flatMap(body -> publish(report, body))))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf(failure, "report %s could not be built", id);
                    return Panache.withTransaction(() -> NativeSql.execute("UPDATE report SET status = 'failed', error = :error WHERE id = :id",
                            NativeSql.params("id", id, "error", String.valueOf(failure.getMessage()))).flatMap(x -> get(id)));
                });
    }

    private Uni<Body> compose(Report report) {
        Window period = report.period(), comparison = report.comparison(), yearAgo = report.yearAgo();
        LocalDate from = yearAgo != null ? yearAgo.start() : comparison.start().isBefore(period.start()) ? comparison.start() : period.start();
        int limit = "monthly".equals(report.kind()) ? 5 : 10;
        return NativeSql.list("""
                SELECT r.kpi, r.dim, r.dim_value, coalesce(s.name, r.dim_value), r.period_start, r.numerator, r.denominator FROM kpi_rollup r
                LEFT JOIN segment_name s ON r.dim = 'segment' AND CAST(s.segment_id AS text) = r.dim_value
                WHERE r.grain = :grain AND r.period_start >= :from AND r.period_start <= :to""", Object[].class,
                Map.of("grain", report.grain(), "from", from, "to", period.end()))
                .flatMap(rows -> alerts(period).flatMap(alerts -> {
                    List<ReviewAnalysis.Row> facts = rows.stream().map(r -> new ReviewAnalysis.Row((String) r[0], (String) r[1], (String) r[2],
                            (String) r[3], (LocalDate) r[4], ((Number) r[5]).doubleValue(), ((Number) r[6]).doubleValue())).toList();
                    ReviewAnalysis analysis = new ReviewAnalysis(facts, period, comparison, yearAgo,
                            new ReviewAnalysis.Settings(limit, "monthly".equals(report.kind()) ? 3 : 5, minChange, minVolume));
                    List<KpiLine> summary = analysis.summary();
                    List<Mover> movers = analysis.movers();
                    Uni<Extras> extras = !"quarterly".equals(report.kind()) ? Uni.createFrom().nullItem()
                            : scorecards.score("quarter", period.start()).flatMap(score -> queries.migrations("tier",
                                    new KpiQueries.Range("quarter", period.start(), period.start())).map(migration -> new Extras(score, migration)));
                    return extras.map(x -> new Body(headline(report, summary, movers), summary, movers, analysis.recommendations(alerts), alerts, x));
                }));
    }

    /** The period's alerts: those raised on its periods and any still unresolved from before, most severe first. */
    private Uni<List<AlertLine>> alerts(Window period) {
        return NativeSql.list("""
                SELECT a.id, r.name, r.kpi, a.severity, a.dim_value, a.period_start, a.status FROM kpi_alert a JOIN alert_rule r ON r.id = a.rule_id
                WHERE (a.period_start >= :start AND a.period_start <= :end) OR (a.status <> 'resolved' AND a.period_start < :start)
                ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, a.period_start DESC LIMIT 200""", Object[].class,
                Map.of("start", period.start(), "end", period.end()))
                .map(rows -> rows.stream().map(r -> new AlertLine((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                        (LocalDate) r[5], (String) r[6])).toList());
    }

    private String headline(Report report, List<KpiLine> summary, List<Mover> movers) {
        StringBuilder text = new StringBuilder(label(report.grain(), report.period())).append(": ");
        KpiLine revenue = summary.stream().filter(l -> "net-revenue".equals(l.kpi())).findFirst().orElseThrow();
        if (revenue.value() == null || revenue.value() == 0 && revenue.comparison() == null) {
            text.append("no revenue recorded");
        } else {
            text.append("net revenue ").append(String.format(Locale.ROOT, "%.2f %s", revenue.value(), rollup.currency()));
            if (revenue.change() != null) {
                text.append(" (").append(percent(revenue.change())).append(" against ").append(label(report.grain(), report.comparison())).append(')');
            }
        }
        text.append(movers.isEmpty() ? "; no KPI moved by " + percent(minChange).substring(1) + " or more"
                : "; biggest mover: " + movers.get(0).kpi() + " " + percent(movers.get(0).change()));
        return text.append('.').toString();
    }

    /** "February 2025", "Q1 2025", or "March 2025 to May 2025" for a window of several months. */
    static String label(String grain, Window window) {
        String first = "quarter".equals(grain) ? "Q" + ((window.start().getMonthValue() - 1) / 3 + 1) + " " + window.start().getYear()
                : window.start().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + window.start().getYear();
        if (window.periods() == 1) {
            return first;
        }
        LocalDate lastStart = Periods.start(grain, window.end());
        return first + " to " + lastStart.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + lastStart.getYear();
    }

    static String percent(double change) {
        return String.format(Locale.ROOT, "%+.1f%%", 100 * change);
    }

    private Uni<Report> publish(Report report, Body body) {
        Instant now = clock.instant();
        List<ReportPublished.Mover> movers = body.movers().stream()
                .map(m -> new ReportPublished.Mover(m.kpi(), new BigDecimal(m.change(), new MathContext(6)).stripTrailingZeros(), m.favourable())).toList();
        return NativeSql.execute("""
                UPDATE report SET status = 'published', published_at = :now, error = NULL, body = CAST(CAST(:body AS text) AS jsonb) WHERE id = :id""",
                NativeSql.params("id", report.id(), "now", NativeSql.utc(now), "body", json(body)))
                .flatMap(x -> outbox.record(EventType.REPORT_PUBLISHED, report.id(), new ReportPublished(report.id(), report.kind(), report.grain(),
                        report.period().start(), report.period().end(), report.comparison().start(), report.comparison().end(), report.scheduled(),
                        body.headline(), movers, body.recommendations().size(), now)))
                .flatMap(x -> get(report.id()));
    }

    public Uni<Report> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + ", CAST(body AS text) FROM report WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(r -> report(r, (String) r[16])).orElseThrow(() -> ProblemException.notFound("no report " + id)));
    }

    /** Reports newest first, with their digests but without their bodies; {@code before} is the {@code nextBefore} of the page before. */
    public Uni<ReportPage> list(String kind, String before, int limit) {
        if (kind != null && !List.of("monthly", "quarterly", "baseline").contains(kind)) {
            throw ProblemException.badRequest("unknown kind", List.of(new Problem.FieldError("kind", "monthly, quarterly or baseline")));
        }
        if (limit < 1 || limit > 200) {
            throw ProblemException.badRequest("limit is 1 to 200", List.of(new Problem.FieldError("limit", "1 to 200")));
        }
        TimeKeyset cursor = TimeKeyset.parse(before);
        return NativeSql.list("SELECT " + COLUMNS + " FROM report WHERE (CAST(:kind AS text) IS NULL OR kind = :kind)"
                + " AND (CAST(:beforeAt AS timestamptz) IS NULL OR (requested_at, id) < (CAST(:beforeAt AS timestamptz), CAST(:beforeId AS uuid)))"
                + " ORDER BY requested_at DESC, id DESC LIMIT :limit", Object[].class,
                NativeSql.params("kind", kind, "beforeAt", cursor == null ? null : NativeSql.utc(cursor.at()),
                        "beforeId", cursor == null ? null : cursor.id(), "limit", limit))
                .map(rows -> {
                    List<Report> reports = rows.stream().map(r -> report(r, null)).toList();
                    Report last = reports.isEmpty() ? null : reports.get(reports.size() - 1);
                    return new ReportPage(reports, reports.size() < limit ? null : new TimeKeyset(last.requestedAt(), last.id()).token());
                });
    }

    @Scheduled(every = "${custops.reports.schedule-interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        // late events still arriving (consumer lag) go into the review: a period is reviewed only a while after its end
        LocalDate asOf = java.time.LocalDateTime.now(clock.withZone(rollup.zone())).minus(delay).toLocalDate();
        return publishDue(asOf).replaceWithVoid();
    }

    /**
     * Makes the monthly review of the last month and the quarterly review of the last quarter complete by {@code today},
     * once each, when the rollup has caught up with them (no changed day left in them); the reports made.
     */
    public Uni<List<Report>> publishDue(LocalDate today) {
        List<Plan> due = List.of(plan(new ReportRequest("monthly", today.minusMonths(1), null)), plan(new ReportRequest("quarterly",
                today.minusMonths(3), null)));
        Uni<List<Report>> chain = Panache.withSession(() -> NativeSql.list("""
                SELECT id FROM report WHERE (status = 'building' AND requested_at < :stale) OR (scheduled AND status = 'failed') LIMIT 20""",
                UUID.class, Map.of("stale", NativeSql.utc(clock.instant().minus(STALE)))))
                // a build cut off by a restart, or a scheduled one that failed, is tried again
                .flatMap(unfinished -> {
                    Uni<List<Report>> retried = Uni.createFrom().item(new ArrayList<>());
                    for (UUID id : unfinished) {
                        retried = retried.flatMap(made -> build(id).map(report -> {
                            made.add(report);
                            return made;
                        }));
                    }
                    return retried;
                });
        for (Plan plan : due) {
            chain = chain.flatMap(made -> Panache.withTransaction(() -> NativeSql.list("SELECT day FROM kpi_dirty WHERE day <= :end LIMIT 1",
                    LocalDate.class, Map.of("end", plan.period().end()))
                    .flatMap(dirty -> dirty.isEmpty() ? insert(plan, "schedule", true) : Uni.createFrom().item(Optional.<UUID>empty())))
                    .flatMap(id -> id.isEmpty() ? Uni.createFrom().item(made) : build(id.get()).map(report -> {
                        made.add(report);
                        return made;
                    })));
        }
        return chain;
    }

    private Report report(Object[] r, String body) {
        String grain = (String) r[2];
        LocalDate start = (LocalDate) r[3], end = (LocalDate) r[4], cstart = (LocalDate) r[5], cend = (LocalDate) r[6];
        Window period = new Window(start, end, Periods.between(grain, start, end.plusDays(1)));
        Window comparison = new Window(cstart, cend, Periods.between(grain, cstart, cend.plusDays(1)));
        Window yearAgo = "quarterly".equals(r[1]) ? window(grain, start.minusYears(1), 1) : null;
        return new Report((UUID) r[0], (String) r[1], grain, (String) r[8], period, comparison, yearAgo, (LocalDate) r[7], rollup.currency(),
                (Boolean) r[9], (String) r[10], NativeSql.instant(r[11]), NativeSql.instant(r[12]), (String) r[13],
                r[14] == null ? null : new Digest((String) r[14], List.of(parse((String) r[15], String[].class))),
                body == null ? null : parse(body, Body.class));
    }

    private <T> T parse(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored report is not readable", e);
        }
    }

    private String json(Body body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
