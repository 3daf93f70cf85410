package io.custops.evaluation.alerts;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.custops.evaluation.alerts.AlertDtos.AlertView;
import io.custops.evaluation.alerts.AlertDtos.Levels;
import io.custops.evaluation.alerts.AlertDtos.RuleRequest;
import io.custops.evaluation.alerts.AlertDtos.RuleView;
import io.custops.evaluation.kpis.KpiCatalog;
import io.custops.evaluation.kpis.KpiQueries;
import io.custops.evaluation.kpis.Periods;
import io.custops.events.EventType;
import io.custops.events.payload.KpiAlertRaised;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Alert rules, their scheduled evaluation on complete periods, and the alerts' lifecycle (open → acknowledged → resolved). */
@ApplicationScoped
public class Alerts {
    private static final Logger LOG = Logger.getLogger(Alerts.class);
    private static final String RULE_COLUMNS = "id, name, kpi, grain, dim, dim_value, mode, direction, info_level, warning_level, critical_level,"
            + " periods, baseline_periods, min_denominator, enabled, version, created_by, created_at, updated_at";

    private static final String ALERT_SELECT = """
            SELECT a.id, a.rule_id, r.name, r.kpi, r.grain, r.dim, a.dim_value, a.period_start, a.severity, a.value, a.baseline, a.threshold,
                a.status, a.raised_at, a.last_seen_at, a.acknowledged_by, a.acknowledged_at, a.resolved_by, a.resolved_at, a.note
            FROM kpi_alert a JOIN alert_rule r ON r.id = a.rule_id""";

    private final EventOutbox outbox;
    private final KpiQueries queries;
    private final Clock clock;

    public Alerts(EventOutbox outbox, KpiQueries queries, Clock clock) {
        this.outbox = outbox;
        this.queries = queries;
        this.clock = clock;
    }

    public Uni<RuleView> create(RuleRequest request, String actor) {
        AlertRule rule = validated(UUID.randomUUID(), request, 1);
        Instant now = clock.instant();
        return NativeSql.list("SELECT 1 FROM alert_rule WHERE lower(name) = lower(:name)", Integer.class, Map.of("name", rule.name()))
                .flatMap(taken -> {
                    if (!taken.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.conflict("an alert rule named " + rule.name() + " exists"));
                    }
                    return NativeSql.execute("""
                            INSERT INTO alert_rule (%s) VALUES (:id, :name, :kpi, :grain, :dim, :value, :mode, :direction, :info, :warning, :critical,
                                :periods, :baseline, :min, :enabled, 1, :actor, :now, :now)""".formatted(RULE_COLUMNS),
                            NativeSql.with(params(rule), "actor", actor, "now", NativeSql.utc(now)));
                })
                .flatMap(x -> rule(rule.id()));
    }

    public Uni<RuleView> update(UUID id, RuleRequest request) {
        if (request == null || request.version() == null) {
            throw ProblemException.badRequest("version is required", List.of(new Problem.FieldError("version", "the version read")));
        }
        AlertRule rule = validated(id, request, request.version());
        return NativeSql.execute("""
                UPDATE alert_rule SET name = :name, kpi = :kpi, grain = :grain, dim = :dim, dim_value = :value, mode = :mode, direction = :direction,
                    info_level = :info, warning_level = :warning, critical_level = :critical, periods = :periods, baseline_periods = :baseline,
                    min_denominator = :min, enabled = :enabled, version = version + 1, updated_at = :now
                WHERE id = :id AND version = :version""", NativeSql.with(params(rule), "version", request.version(), "now", NativeSql.utc(clock.instant())))
                .flatMap(updated -> updated == 1 ? rule(id) : rule(id).flatMap(current -> Uni.createFrom().failure(
                        ProblemException.conflict("the rule changed since version " + request.version() + " (now " + current.version() + ")"))));
    }

    public Uni<Void> delete(UUID id) {
        return NativeSql.execute("DELETE FROM alert_rule WHERE id = :id", Map.of("id", id))
                .flatMap(n -> n == 0 ? Uni.createFrom().failure(ProblemException.notFound("no alert rule " + id)) : Uni.createFrom().voidItem());
    }

    public Uni<RuleView> rule(UUID id) {
        return NativeSql.list("SELECT " + RULE_COLUMNS + " FROM alert_rule WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Alerts::ruleView).orElseThrow(() -> ProblemException.notFound("no alert rule " + id)));
    }

    public Uni<List<RuleView>> rules() {
        return NativeSql.list("SELECT " + RULE_COLUMNS + " FROM alert_rule ORDER BY lower(name) LIMIT 1000", Object[].class, Map.of())
                .map(rows -> rows.stream().map(Alerts::ruleView).toList());
    }

    public Uni<List<AlertView>> alerts(String status, String severity) {
        if (status != null && !List.of("open", "acknowledged", "resolved", "unresolved").contains(status)) {
            throw ProblemException.badRequest("unknown status", List.of(new Problem.FieldError("status", "open, acknowledged, unresolved or resolved")));
        }
        if (severity != null && !AlertRule.SEVERITIES.contains(severity)) {
            throw ProblemException.badRequest("unknown severity", List.of(new Problem.FieldError("severity", "info, warning or critical")));
        }
        return NativeSql.list(ALERT_SELECT + "\n" + """
                WHERE (CAST(:status AS text) IS NULL OR a.status = :status OR (:status = 'unresolved' AND a.status <> 'resolved'))
                  AND (CAST(:severity AS text) IS NULL OR a.severity = :severity)
                ORDER BY a.raised_at DESC LIMIT 500""", Object[].class, NativeSql.params("status", status, "severity", severity))
                .map(rows -> rows.stream().map(Alerts::alertView).toList());
    }

    /** Acknowledges an open alert (someone is on it) or resolves an open or acknowledged one; a resolved alert stays resolved. */
    public Uni<AlertView> act(UUID id, String action, String actor, String note) {
        String set = "acknowledge".equals(action)
                ? "status = 'acknowledged', acknowledged_by = :actor, acknowledged_at = :now"
                : "status = 'resolved', resolved_by = :actor, resolved_at = :now";
        String from = "acknowledge".equals(action) ? "status = 'open'" : "status <> 'resolved'";
        return NativeSql.execute("UPDATE kpi_alert SET %s, note = coalesce(:note, note) WHERE id = :id AND %s".formatted(set, from),
                NativeSql.params("id", id, "actor", actor, "now", NativeSql.utc(clock.instant()), "note", note == null ? null : note.strip()))
                .flatMap(n -> alert(id).map(alert -> {
                    if (n == 0) {
                        throw ProblemException.conflict("the alert is " + alert.status());
                    }
                    return alert;
                }));
    }

    private Uni<AlertView> alert(UUID id) {
        return NativeSql.list(ALERT_SELECT + " WHERE a.id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Alerts::alertView).orElseThrow(() -> ProblemException.notFound("no alert " + id)));
    }

    @Scheduled(every = "${custops.alerts.evaluate-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return evaluateAll(queries.today()).replaceWithVoid();
    }

    /** Judges every enabled rule on the periods complete by {@code asOf}, a transaction per rule; the number of alerts raised or escalated. */
    public Uni<Integer> evaluateAll(LocalDate asOf) {
        return Panache.withSession(() -> NativeSql.list("SELECT " + RULE_COLUMNS + " FROM alert_rule WHERE enabled", Object[].class, Map.of()))
                .flatMap(rows -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (Object[] r : rows) {
                        AlertRule rule = rule(r);
                        chain = chain.flatMap(total -> Panache.withTransaction(() -> evaluate(rule, asOf)).map(n -> total + n)
                                .onFailure().invoke(f -> LOG.warnf(f, "alert rule %s could not be evaluated", rule.name())).onFailure().recoverWithItem(total));
                    }
                    return chain;
                });
    }

    private Uni<Integer> evaluate(AlertRule rule, LocalDate asOf) {
        KpiCatalog.Kpi kpi = KpiCatalog.find(rule.kpi()).orElseThrow();
        LocalDate last = Periods.start(rule.grain(), asOf).minus(Periods.length(rule.grain()));
        LocalDate first = last.minus(Periods.length(rule.grain()).multipliedBy(rule.periods() + rule.baselinePeriods() - 1));
        boolean additive = kpi.perPeriod();
        return NativeSql.list("""
                SELECT dim_value, period_start, numerator, denominator FROM kpi_rollup
                WHERE kpi = :kpi AND grain = :grain AND dim = :dim AND (CAST(:value AS text) IS NULL OR dim_value = :value)
                  AND period_start >= :first AND period_start <= :last ORDER BY dim_value, period_start""", Object[].class,
                NativeSql.params("kpi", rule.kpi(), "grain", rule.grain(), "dim", rule.dim(), "value", rule.dimValue(), "first", first, "last", last))
                .flatMap(rows -> {
                    Map<String, Map<LocalDate, Double>> groups = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        double den = ((Number) r[3]).doubleValue();
                        Double value = den < rule.minDenominator() ? null : KpiQueries.value(kpi, ((Number) r[2]).doubleValue(), den);
                        groups.computeIfAbsent((String) r[0], g -> new LinkedHashMap<>()).put((LocalDate) r[1], value);
                    }
                    if (groups.isEmpty() && additive && ("all".equals(rule.dim()) || rule.dimValue() != null)) {
                        groups.put(rule.dimValue() == null ? "" : rule.dimValue(), Map.of()); // nothing at all is a zero
                    }
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (var group : groups.entrySet()) {
                        List<AlertRule.Observation> observations = new ArrayList<>();
                        for (LocalDate p = first; !p.isAfter(last); p = p.plus(Periods.length(rule.grain()))) {
                            Double v = group.getValue().containsKey(p) ? group.getValue().get(p) : additive ? Double.valueOf(0) : null;
                            observations.add(new AlertRule.Observation(p, v));
                        }
                        var breach = rule.evaluate(observations);
                        if (breach.isPresent()) {
                            chain = chain.flatMap(n -> raise(rule, group.getKey(), last, breach.get()).map(raised -> n + raised));
                        }
                    }
                    return chain;
                });
    }

    /** Raises a new alert, escalates the open one, or only notes that the breach goes on; 1 when an event was published. */
    private Uni<Integer> raise(AlertRule rule, String group, LocalDate period, AlertRule.Breach breach) {
        Instant now = clock.instant();
        Map<String, Object> p = NativeSql.params("rule", rule.id(), "group", group, "period", period, "severity", breach.severity(), "value", breach.value(),
                "baseline", breach.baseline(), "threshold", breach.threshold(), "now", NativeSql.utc(now), "id", UUID.randomUUID());
        return NativeSql.list("SELECT id, severity FROM kpi_alert WHERE rule_id = :rule AND dim_value = :group AND status <> 'resolved' FOR UPDATE",
                Object[].class, p)
                .flatMap(open -> {
                    if (!open.isEmpty()) {
                        UUID id = (UUID) open.get(0)[0];
                        boolean escalates = AlertRule.higher(breach.severity(), (String) open.get(0)[1]);
                        return NativeSql.execute("""
                                UPDATE kpi_alert SET value = :value, baseline = :baseline, last_seen_at = :now,
                                    severity = CASE WHEN :escalates THEN :severity ELSE severity END,
                                    threshold = CASE WHEN :escalates THEN :threshold ELSE threshold END WHERE id = :existing""",
                                NativeSql.with(p, "existing", id, "escalates", escalates))
                                .flatMap(x -> escalates ? publish(id, rule, group, period, breach, true, now) : Uni.createFrom().item(0));
                    }
                    return NativeSql.list("""
                            INSERT INTO kpi_alert (id, rule_id, dim_value, period_start, severity, value, baseline, threshold, raised_at, last_seen_at)
                            VALUES (:id, :rule, :group, :period, :severity, :value, :baseline, :threshold, :now, :now)
                            ON CONFLICT (rule_id, dim_value, period_start) DO NOTHING RETURNING id""", UUID.class, p)
                            // a breach already raised and resolved stays resolved
                            .flatMap(ids -> ids.isEmpty() ? Uni.createFrom().item(0) : publish(ids.get(0), rule, group, period, breach, false, now));
                });
    }

    private Uni<Integer> publish(UUID id, AlertRule rule, String group, LocalDate period, AlertRule.Breach breach, boolean escalated, Instant now) {
        return outbox.record(EventType.KPI_ALERT_RAISED, id, new KpiAlertRaised(id, rule.id(), rule.name(), rule.kpi(), rule.grain(), rule.dim(), group,
                period, rule.periods(), breach.severity(), decimal(breach.value()), breach.baseline() == null ? null : decimal(breach.baseline()),
                decimal(breach.threshold()), escalated, now)).replaceWith(1);
    }

    private static BigDecimal decimal(double value) {
        return new BigDecimal(value, new MathContext(10)).stripTrailingZeros();
    }

    private AlertRule validated(UUID id, RuleRequest r, int version) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r == null) {
            throw ProblemException.badRequest("a rule is required", List.of(new Problem.FieldError("body", "missing")));
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "1 to 200 characters"));
        }
        if (r.kpi() == null || KpiCatalog.find(r.kpi()).isEmpty()) {
            errors.add(new Problem.FieldError("kpi", "a KPI of GET /api/kpis"));
        }
        String grain = r.grain() == null ? "day" : r.grain();
        if (!Periods.isGrain(grain)) {
            errors.add(new Problem.FieldError("grain", "day, week, month or quarter"));
        }
        String dim = r.dim() == null ? "all" : r.dim();
        if (!KpiCatalog.DIMENSIONS.contains(dim)) {
            errors.add(new Problem.FieldError("dim", "one of " + KpiCatalog.DIMENSIONS));
        }
        String mode = r.mode() == null ? "threshold" : r.mode();
        if (!List.of("threshold", "baseline").contains(mode)) {
            errors.add(new Problem.FieldError("mode", "threshold or baseline"));
        }
        String direction = r.direction() == null ? "above" : r.direction();
        if (!List.of("above", "below").contains(direction)) {
            errors.add(new Problem.FieldError("direction", "above or below"));
        }
        Levels levels = r.levels() == null ? new Levels(null, null, null) : r.levels();
        List<Double> set = java.util.stream.Stream.of(levels.info(), levels.warning(), levels.critical()).filter(v -> v != null).toList();
        if (set.isEmpty()) {
            errors.add(new Problem.FieldError("levels", "at least one of info, warning, critical"));
        } else {
            for (int i = 1; i < set.size(); i++) {
                if ("above".equals(direction) ? set.get(i) < set.get(i - 1) : set.get(i) > set.get(i - 1)) {
                    errors.add(new Problem.FieldError("levels", "more severe levels must be further " + direction));
                    break;
                }
            }
        }
        int periods = r.periods() == null ? 1 : r.periods();
        if (periods < 1 || periods > 90) {
            errors.add(new Problem.FieldError("periods", "1 to 90"));
        }
        int baseline = r.baselinePeriods() != null ? r.baselinePeriods() : switch (grain) {
            case "week" -> 8;
            case "month" -> 3;
            case "quarter" -> 4;
            default -> 28;
        };
        if (baseline < 1 || baseline > 365) {
            errors.add(new Problem.FieldError("baselinePeriods", "1 to 365"));
        }
        double min = r.minDenominator() == null ? 0 : r.minDenominator();
        if (min < 0) {
            errors.add(new Problem.FieldError("minDenominator", "not negative"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the alert rule is not valid", errors);
        }
        return new AlertRule(id, r.name().strip(), r.kpi(), grain, dim, "all".equals(dim) ? null : r.dimValue(), mode, direction, levels.info(),
                levels.warning(), levels.critical(), periods, baseline, min, r.enabled() == null || r.enabled(), version);
    }

    private static Map<String, Object> params(AlertRule rule) {
        return NativeSql.params("id", rule.id(), "name", rule.name(), "kpi", rule.kpi(), "grain", rule.grain(), "dim", rule.dim(), "value", rule.dimValue(),
                "mode", rule.mode(), "direction", rule.direction(), "info", rule.info(), "warning", rule.warning(), "critical", rule.critical(),
                "periods", rule.periods(), "baseline", rule.baselinePeriods(), "min", rule.minDenominator(), "enabled", rule.enabled());
    }

    private static AlertRule rule(Object[] r) {
        return new AlertRule((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6], (String) r[7],
                d(r[8]), d(r[9]), d(r[10]), ((Number) r[11]).intValue(), ((Number) r[12]).intValue(), ((Number) r[13]).doubleValue(), (Boolean) r[14],
                ((Number) r[15]).intValue());
    }

    private static RuleView ruleView(Object[] r) {
        AlertRule rule = rule(r);
        return new RuleView(rule.id(), rule.name(), rule.kpi(), rule.grain(), rule.dim(), rule.dimValue(), rule.mode(), rule.direction(),
                new Levels(rule.info(), rule.warning(), rule.critical()), rule.periods(), rule.baselinePeriods(), rule.minDenominator(), rule.enabled(),
                rule.version(), (String) r[16], NativeSql.instant(r[17]), NativeSql.instant(r[18]));
    }

    private static AlertView alertView(Object[] r) {
        return new AlertView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6], (LocalDate) r[7],
                (String) r[8], ((Number) r[9]).doubleValue(), d(r[10]), d(r[11]), (String) r[12], NativeSql.instant(r[13]), NativeSql.instant(r[14]),
                (String) r[15], NativeSql.instant(r[16]), (String) r[17], NativeSql.instant(r[18]), (String) r[19]);
    }

    private static Double d(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
