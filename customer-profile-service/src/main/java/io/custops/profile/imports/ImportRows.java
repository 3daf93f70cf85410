package io.custops.profile.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.custops.events.EventType;
import io.custops.events.payload.ProfileUpdated;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.JsonColumns;
import io.custops.profile.domain.Profile;
import io.custops.profile.repository.ProfileRepository;
import io.custops.profile.rest.dto.IdentifierDto;
import io.custops.profile.rest.dto.IngestResult;
import io.custops.profile.service.ActivityEventParser;
import io.custops.profile.service.ActivityIngestService;
import io.custops.profile.service.AttributeSchemaService;
import io.custops.profile.service.CompletenessService;
import io.custops.profile.service.IdentifierPolicy;
import io.custops.profile.service.IdentityResolver;
import io.custops.profile.service.ProfilePatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies one chunk of import rows in the caller's transaction, with the same rules as the API: event rows go
 * through batch ingestion (deduplicated by source and event id, so a re-run imports nothing twice); profile rows
 * are resolved by their identifiers (merging as identity resolution decides) and their fields applied as a
 * merge patch. A bad row becomes an error with its row number; the others are kept.
 */
@ApplicationScoped
public class ImportRows {
    private final ActivityEventParser parser;
    private final ActivityIngestService ingest;
    private final IdentifierPolicy policy;
    private final IdentityResolver resolver;
    private final ProfileRepository profiles;
    private final AttributeSchemaService schema;
    private final ProfilePatcher patcher;
    private final EventOutbox outbox;
    private final CompletenessService completeness;

    public ImportRows(ActivityEventParser parser, ActivityIngestService ingest, IdentifierPolicy policy,
            IdentityResolver resolver, ProfileRepository profiles, AttributeSchemaService schema, ProfilePatcher patcher,
            EventOutbox outbox, CompletenessService completeness) {
        this.completeness = completeness;
        this.parser = parser;
        this.ingest = ingest;
        this.policy = policy;
        this.resolver = resolver;
        this.profiles = profiles;
        this.schema = schema;
        this.patcher = patcher;
        this.outbox = outbox;
    }

    record Row(long number, JsonNode data) {
    }

    record RowError(long row, String message) {
    }

    Uni<List<RowError>> apply(String kind, UUID jobId, List<Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return "events".equals(kind) ? events(jobId, rows) : profiles(jobId, rows);
    }

    private Uni<List<RowError>> events(UUID jobId, List<Row> rows) {
        List<ActivityEventParser.Parsed> parsed = parser.parse(rows.stream().map(Row::data).toList());
        return ingest.ingest(parsed, "import:" + jobId).map(result -> {
            List<RowError> errors = new ArrayList<>();
            for (IngestResult.Item item : result.results()) {
                if ("rejected".equals(item.status())) {
                    errors.add(new RowError(rows.get(item.index()).number(), describe(item.problem())));
                }
            }
            return errors;
        });
    }

    private record ProfileRow(Row row, List<IdentifierPolicy.Identifier> usable, String source, ObjectNode patch) {
    }

    private Uni<List<RowError>> profiles(UUID jobId, List<Row> rows) {
        List<RowError> errors = new ArrayList<>();
        List<ProfileRow> valid = new ArrayList<>();
        for (Row row : rows) {
            JsonNode data = row.data();
            if (!data.isObject()) {
                errors.add(new RowError(row.number(), "is not a JSON object"));
                continue;
            }
            String source = data.path("source").asText("").trim();
            List<IdentifierDto> raw = new ArrayList<>();
            data.path("identifiers").forEach(i -> raw.add(new IdentifierDto(i.path("type").asText(null), i.path("value").asText(null))));
            IdentifierPolicy.Normalised normalised = policy.normalise(raw, "identifiers");
            List<String> problems = new ArrayList<>();
            normalised.errors().forEach(e -> problems.add(e.field() + " " + e.message()));
            if (normalised.usable().isEmpty() && problems.isEmpty()) {
                problems.add("no usable identifier");
            }
            if (!source.matches("^[a-z0-9][a-z0-9_.-]{0,63}$")) {
                problems.add("source is required, e.g. crm or pos");
            }
            if (!problems.isEmpty()) {
                errors.add(new RowError(row.number(), String.join("; ", problems)));
                continue;
            }
            ObjectNode patch = ((ObjectNode) data).deepCopy();
            patch.remove(List.of("identifiers", "source"));
            valid.add(new ProfileRow(row, normalised.usable(), source, patch));
        }
        Set<IdentifierPolicy.Identifier> all = valid.stream().flatMap(v -> v.usable().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return resolver.load(all, List.of()).flatMap(context -> {
            Map<ProfileRow, UUID> customers = new HashMap<>();
            for (ProfileRow row : valid) {
                customers.put(row, context.resolve(row.usable(), row.source(), "import " + jobId + " row "
                        + row.row().number()).customerId());
            }
            return resolver.persist(context)
                    .flatMap(x -> resolver.mergePlanned(context, "import:" + jobId))
                    .flatMap(x -> schema.byName())
                    .flatMap(definitions -> profiles.list("id in ?1", Set.copyOf(customers.values().stream()
                            .map(id -> context.live(id).orElse(id)).toList()))
                            .flatMap(found -> {
                                Map<UUID, Profile> byId = found.stream().collect(Collectors.toMap(p -> p.id, p -> p));
                                Map<UUID, List<String>> changedFields = new java.util.LinkedHashMap<>();
                                Instant now = Instant.now();
                                for (ProfileRow row : valid) {
                                    UUID id = context.live(customers.get(row)).orElse(customers.get(row));
                                    Profile profile = byId.get(id);
                                    if (profile == null) {
                                        continue;
                                    }
                                    try {
                                        profile.attributes = new java.util.LinkedHashMap<>(profile.attributes);
                                        Set<String> changed = patcher.apply(profile, row.patch(), definitions, ProfilePatcher.FIELDS);
                                        profile.attributes = JsonColumns.normalise(profile.attributes);
                                        if (!profile.sourceSystems.contains(row.source())) {
                                            profile.sourceSystems = new ArrayList<>(profile.sourceSystems);
                                            profile.sourceSystems.add(row.source());
                                        }
                                        profile.status = Profile.STATUS_REGISTERED;
                                        if (!changed.isEmpty()) {
                                            profile.updatedAt = now;
                                            changedFields.put(id, List.copyOf(changed));
                                        }
                                    } catch (ProblemException e) {
                                        errors.add(new RowError(row.row().number(), describe(new Problem(null, e.title(),
                                                e.status(), e.getMessage(), null, e.errors()))));
                                    }
                                }
                                return completeness.refresh(byId.keySet()).flatMap(scores -> outbox.recordAll(changedFields
                                        .entrySet().stream().map(c -> outbox.prepare(EventType.PROFILE_UPDATED, c.getKey(),
                                                new ProfileUpdated(c.getKey(), c.getValue(), scores.get(c.getKey()), now,
                                                        c.getValue().contains("birthday")
                                                                ? ProfileUpdated.monthDay(byId.get(c.getKey()).birthday) : null)))
                                        .toList()));
                            }))
                    .replaceWith(errors);
        });
    }

    private static String describe(Problem problem) {
        if (problem == null) {
            return "rejected";
        }
        String fields = problem.errors() == null ? "" : problem.errors().stream()
                .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
        return fields.isEmpty() ? problem.detail() : fields;
    }
}
