package io.custops.evaluation.kpis;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** Reporting periods as PostgreSQL's date_trunc makes them: ISO weeks from Monday, calendar months and quarters. */
public final class Periods {
    private Periods() {
    }

    public static boolean isGrain(String grain) {
        return KpiRollup.GRAINS.contains(grain);
    }

    public static LocalDate start(String grain, LocalDate day) {
        return switch (grain) {
            case "day" -> day;
            case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> day.withDayOfMonth(1);
            case "quarter" -> LocalDate.of(day.getYear(), (day.getMonthValue() - 1) / 3 * 3 + 1, 1);
            default -> throw new IllegalArgumentException("unknown grain " + grain);
        };
    }

    public static Period length(String grain) {
        return switch (grain) {
            case "day" -> Period.ofDays(1);
            case "week" -> Period.ofWeeks(1);
            case "month" -> Period.ofMonths(1);
            case "quarter" -> Period.ofMonths(3);
            default -> throw new IllegalArgumentException("unknown grain " + grain);
        };
    }

    /** A period's length as a PostgreSQL interval, for the rollup statements' {@code :step}. */
    public static String interval(String grain) {
        length(grain); // refuses an unknown grain
        return "quarter".equals(grain) ? "3 months" : "1 " + grain;
    }

    /** How many whole periods {@code later} is after {@code earlier} (both period starts). */
    public static int between(String grain, LocalDate earlier, LocalDate later) {
        return switch (grain) {
            case "day" -> (int) ChronoUnit.DAYS.between(earlier, later);
            case "week" -> (int) ChronoUnit.WEEKS.between(earlier, later);
            case "month" -> (int) ChronoUnit.MONTHS.between(earlier, later);
            case "quarter" -> (int) ChronoUnit.MONTHS.between(earlier, later) / 3;
            default -> throw new IllegalArgumentException("unknown grain " + grain);
        };
    }
}
