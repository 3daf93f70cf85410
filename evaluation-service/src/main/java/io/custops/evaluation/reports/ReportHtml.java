package io.custops.evaluation.reports;

import java.util.List;
import java.util.Locale;

import io.custops.evaluation.kpis.KpiCatalog;
import io.custops.evaluation.reports.ReportDtos.AlertLine;
import io.custops.evaluation.reports.ReportDtos.Driver;
import io.custops.evaluation.reports.ReportDtos.Recommendation;
import io.custops.evaluation.reports.ReportDtos.Report;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** A report as a printable HTML page: figures formatted in their units here, the page in templates/ReportHtml/page.html (escaped by Qute). */
public final class ReportHtml {
    private ReportHtml() {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(Page page);
    }

    public record Line(String kpi, String description, String value, String comparison, String change, String yearAgo, String tone) {
    }

    public record DriverLine(String group, String value, String comparison, String contribution, String share) {
    }

    public record MoverLine(String kpi, String value, String comparison, String change, String tone, List<DriverLine> drivers) {
    }

    public record Layer(String name, String weight, String score) {
    }

    public record Move(String from, String to, long customers) {
    }

    public record Page(String title, String headline, String status, String period, String comparison, String yearAgo, String published,
            List<Line> summary, List<MoverLine> movers, List<Recommendation> recommendations, List<AlertLine> alerts, String score,
            List<Layer> layers, List<Move> migration, boolean full) {
    }

    public static String render(Report report) {
        return Templates.page(page(report)).render();
    }

    static Page page(Report r) {
        String title = switch (r.kind()) {
            case "monthly" -> "Monthly review";
            case "quarterly" -> "Quarterly review";
            default -> "Programme against its baseline";
        } + " — " + Reports.label(r.grain(), r.period());
        var body = r.body();
        if (body == null) {
            return new Page(title, r.error() == null ? "The report is still being built." : "The report failed: " + r.error(), r.status(),
                    Reports.label(r.grain(), r.period()), Reports.label(r.grain(), r.comparison()), null, null, List.of(), List.of(), List.of(),
                    List.of(), null, List.of(), List.of(), false);
        }
        List<Line> summary = body.summary().stream().map(l -> new Line(l.kpi(), l.description(), value(l.kpi(), l.value(), r.currency()),
                value(l.kpi(), l.comparison(), r.currency()), change(l.change()), value(l.kpi(), l.yearAgo(), r.currency()), tone(l.favourable()))).toList();
        List<MoverLine> movers = body.movers().stream().map(m -> new MoverLine(m.kpi(), value(m.kpi(), m.value(), r.currency()),
                value(m.kpi(), m.comparison(), r.currency()), change(m.change()), tone(m.favourable()),
                m.drivers().stream().map(d -> driver(m.kpi(), d, r.currency())).toList())).toList();
        var extras = body.extras();
        String score = extras == null || extras.scorecard() == null || extras.scorecard().score() == null ? null
                : String.format(Locale.ROOT, "%.1f", extras.scorecard().score());
        List<Layer> layers = extras == null || extras.scorecard() == null ? List.of() : extras.scorecard().layers().stream()
                .map(l -> new Layer(l.name(), String.format(Locale.ROOT, "%.0f%%", 100 * l.weight()),
                        l.score() == null ? "—" : String.format(Locale.ROOT, "%.1f", l.score()))).toList();
        List<Move> migration = extras == null || extras.tierMigration() == null ? List.of() : extras.tierMigration().moves().stream()
                .map(c -> new Move(c.from(), c.to(), c.customers())).toList();
        return new Page(title, body.headline(), r.status(), Reports.label(r.grain(), r.period()), Reports.label(r.grain(), r.comparison()),
                r.yearAgo() == null ? null : Reports.label(r.grain(), r.yearAgo()), r.publishedAt() == null ? null : r.publishedAt().toString(),
                summary, movers, body.recommendations(), body.alerts(), score, layers, migration, extras != null);
    }

    private static DriverLine driver(String kpi, Driver d, String currency) {
        return new DriverLine(d.dim() + " " + d.label(), value(kpi, d.value(), currency), value(kpi, d.comparison(), currency),
                value(kpi, d.contribution(), currency), d.share() == null ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * d.share()));
    }

    /** A value in its KPI's unit: "1234.50 EUR", "12.3%", "42", "2.25", "5.5 h"; a dash for none. */
    static String value(String kpi, Double value, String currency) {
        if (value == null) {
            return "—";
        }
        KpiCatalog.Unit unit = KpiCatalog.find(kpi).map(KpiCatalog.Kpi::unit).orElse(KpiCatalog.Unit.AVERAGE);
        return switch (unit) {
            case CURRENCY -> String.format(Locale.ROOT, "%,.2f %s", value, currency);
            case PERCENT -> String.format(Locale.ROOT, "%.1f%%", value);
            case COUNT -> value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%,.1f", value);
            case SCORE -> String.format(Locale.ROOT, "%.1f", value);
            case AVERAGE -> String.format(Locale.ROOT, "%.2f", value);
            case HOURS -> String.format(Locale.ROOT, "%.1f h", value);
        };
    }

    private static String change(Double change) {
        return change == null ? "—" : Reports.percent(change);
    }

    private static String tone(Boolean favourable) {
        return favourable == null ? "neutral" : favourable ? "good" : "bad";
    }
}
