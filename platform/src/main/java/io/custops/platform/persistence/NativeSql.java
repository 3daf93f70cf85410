package io.custops.platform.persistence;

import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Native SQL with named parameters in the current reactive session (and so in its transaction), for set-based
 * statements that entities cannot express: {@code INSERT ... SELECT}, {@code ON CONFLICT}, {@code RETURNING}.
 */
public final class NativeSql {
    private NativeSql() {
    }

    public static Uni<Integer> execute(String sql, Map<String, Object> params) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql);
            bind(sql, params, query::setParameter);
            return query.executeUpdate();
        });
    }

    public static <T> Uni<List<T>> list(String sql, Class<T> type, Map<String, Object> params) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, type);
            bind(sql, params, query::setParameter);
            return query.getResultList();
        });
    }

    public static <T> Uni<T> single(String sql, Class<T> type, Map<String, Object> params) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, type);
            bind(sql, params, query::setParameter);
            return query.getSingleResult();
        });
    }

    /**
     * Inserts many rows in one statement with one parameter: the rows travel as a JSON array that PostgreSQL
     * expands with {@code jsonb_populate_recordset} into the table's own column types, in list order (so an
     * identity column numbers them in that order). Each row maps column names to values: strings, numbers,
     * booleans, UUIDs, Instants (as ISO-8601), lists and maps (for array and JSON columns). Columns a row leaves
     * out are NULL; columns not named in {@code columns} take their defaults.
     *
     * @param suffix appended to the statement, e.g. {@code "ON CONFLICT DO NOTHING"}; may be empty
     */
    public static Uni<Integer> insertRows(String table, List<String> columns, List<Map<String, Object>> rows, String suffix) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String names = String.join(", ", columns);
        String sql = "INSERT INTO " + table + " (" + names + ") SELECT " + names + " FROM jsonb_populate_recordset(NULL::"
                + table + ", CAST(CAST(:rows AS text) AS jsonb)) WITH ORDINALITY AS r ORDER BY ordinality " + suffix;
        return execute(sql, Map.of("rows", json(rows)));
    }

    /**
     * Values as a JSON parameter, for statements that expand it with {@code jsonb_to_recordset} and the like
     * (bind it as {@code CAST(CAST(:p AS text) AS jsonb)}).
     */
    public static String json(Object rows) {
        try {
            return ROWS.writeValueAsString(rows);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("rows are not serialisable as JSON", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper ROWS = new com.fasterxml.jackson.databind.ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** A parameter map from name/value pairs, values may be null (unlike {@code Map.of}). */
    public static Map<String, Object> params(Object... pairs) {
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put((String) pairs[i], pairs[i + 1]);
        }
        return params;
    }

    /** {@code base} plus more name/value pairs. */
    public static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
        Map<String, Object> params = new java.util.LinkedHashMap<>(base);
        params.putAll(params(pairs));
        return params;
    }

    /** An instant as a UTC timestamp parameter (the reactive driver binds OffsetDateTime to timestamptz); null stays null. */
    public static java.time.OffsetDateTime utc(java.time.Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }

    /** A timestamp column of a native result row as an Instant, whatever Java type the driver chose. */
    public static java.time.Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.time.Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.time.LocalDateTime ldt) {
            return ldt.toInstant(java.time.ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    /** Binds the parameters the statement names, so one parameter map can serve several statements. */
    private static void bind(String sql, Map<String, Object> params, java.util.function.BiConsumer<String, Object> setter) {
        java.util.Set<String> named = new java.util.HashSet<>();
        java.util.regex.Matcher matcher = PARAMETER.matcher(sql);
        while (matcher.find()) {
            named.add(matcher.group(1));
        }
        params.forEach((name, value) -> {
            if (named.contains(name)) {
                setter.accept(name, value);
            }
        });
    }

    /** A named parameter, not a {@code ::type} cast. */
    private static final java.util.regex.Pattern PARAMETER = java.util.regex.Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");
}
