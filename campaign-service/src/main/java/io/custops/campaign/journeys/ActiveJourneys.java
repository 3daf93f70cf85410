package io.custops.campaign.journeys;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.custops.platform.persistence.NativeSql;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The definitions event handling needs: the active journeys' current versions (triggers), and any version an
 * instance is on (versions never change, so they are cached for good). The active set is reloaded when this
 * replica changes a journey and every few seconds for changes made on other replicas.
 */
@ApplicationScoped
public class ActiveJourneys {
    /** An active journey at its current version. */
    public record Active(UUID id, int version, JourneyDefinition definition) {
    }

    private final Map<String, JourneyDefinition> versions = new ConcurrentHashMap<>();
    private volatile List<Active> active;

    /** The active journeys, loaded in the caller's session when stale. */
    public Uni<List<Active>> active() {
        List<Active> current = active;
        if (current != null) {
            return Uni.createFrom().item(current);
        }
        return NativeSql.list("""
                SELECT j.id, j.version, CAST(v.definition AS text) FROM journey j
                JOIN journey_version v ON v.journey_id = j.id AND v.version = j.version WHERE j.status = 'active'""", Object[].class, Map.of())
                .map(rows -> {
                    List<Active> loaded = rows.stream().map(r -> new Active((UUID) r[0], ((Number) r[1]).intValue(),
                            JourneyDefinition.parse((String) r[2]))).toList();
                    active = loaded;
                    return loaded;
                });
    }

    /** The definition of one version of a journey. */
    public Uni<JourneyDefinition> version(UUID journey, int version) {
        JourneyDefinition cached = versions.get(journey + "@" + version);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return NativeSql.single("SELECT CAST(definition AS text) FROM journey_version WHERE journey_id = :id AND version = :version",
                String.class, Map.of("id", journey, "version", version))
                .map(text -> {
                    JourneyDefinition definition = JourneyDefinition.parse(text);
                    versions.put(journey + "@" + version, definition);
                    return definition;
                });
    }

    /** Several versions at once, for a batch of instances: key {@code journey@version}. */
    public Uni<Map<String, JourneyDefinition>> versions(List<Map.Entry<UUID, Integer>> wanted) {
        Uni<Map<String, JourneyDefinition>> chain = Uni.createFrom().item(new HashMap<>());
        for (Map.Entry<UUID, Integer> w : wanted.stream().distinct().toList()) {
            chain = chain.flatMap(found -> version(w.getKey(), w.getValue()).map(d -> {
                found.put(w.getKey() + "@" + w.getValue(), d);
                return found;
            }));
        }
        return chain;
    }

    public void changed(Object ignored) {
        active = null;
    }

    @Scheduled(every = "5s", delayed = "5s")
    void expire() {
        active = null;
    }
}
