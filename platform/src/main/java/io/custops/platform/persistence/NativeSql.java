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
