package io.custops.local.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's route table: path prefix → service. The single source is {@code gateway-routes.json} on the
 * classpath, so the local gateway and the Helm chart's HTTPRoutes can be checked against the same file.
 */
public final class RouteTable {
    public static final String RESOURCE = "/gateway-routes.json";

    public record Route(String prefix, String service) {
        public Route {
            if (prefix == null || !prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
                throw new IllegalArgumentException("a route prefix starts with / and does not end with /: " + prefix);
            }
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("route " + prefix + " names no service");
            }
        }

        /** True when {@code path} (no query) is the prefix itself or lies below it on a segment boundary. */
        boolean covers(String path) {
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
    }

    private final List<Route> routes;
    // longest prefix first, so the first route that covers a path is the most specific one
    private final List<Route> byLength;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.byLength = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed())
                .toList();
    }

    /** The table in {@code gateway-routes.json}. */
    public static RouteTable load() {
        try (InputStream in = RouteTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
            return new RouteTable(mapper.readValue(in, new TypeReference<List<Route>>() {
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The route for a request path (a query or fragment is ignored); empty when no prefix covers it. */
    public Optional<Route> match(String path) {
        if (path == null) {
            return Optional.empty();
        }
        int end = path.length();
        int query = path.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        String plain = path.substring(0, end);
        for (Route route : byLength) {
            if (route.covers(plain)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }

    /** The services the table routes to, in table order. */
    public Set<String> services() {
        Set<String> services = new LinkedHashSet<>();
        routes.forEach(r -> services.add(r.service()));
        return services;
    }
}
