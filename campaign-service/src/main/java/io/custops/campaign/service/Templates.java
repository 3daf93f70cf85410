package io.custops.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.campaign.rest.dto.TemplateDtos.Content;
import io.custops.campaign.rest.dto.TemplateDtos.Preview;
import io.custops.campaign.rest.dto.TemplateDtos.PreviewRequest;
import io.custops.campaign.rest.dto.TemplateDtos.TemplateRequest;
import io.custops.campaign.rest.dto.TemplateDtos.TemplateResponse;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Templates: validated on every write (channel, category, locales, Qute syntax, known values), versioned. */
@ApplicationScoped
public class Templates {
    public static final Set<String> CHANNELS = Set.of("email", "sms", "push", "wechat");
    public static final Set<String> CATEGORIES = Set.of("marketing", "transactional");
    private static final String LOCALE = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
    private static final int MAX_BODY = 100_000;
    private static final int MAX_DATA = 64 * 1024;
    private static final String COLUMNS = "id, name, channel, category, default_locale, CAST(contents AS text), archived, version,"
            + " created_by, created_at, updated_at";
    private static final TypeReference<Map<String, Content>> CONTENTS = new TypeReference<>() {
    };

    private final TemplateRenderer renderer;
    private final ObjectMapper mapper;

    public Templates(TemplateRenderer renderer, ObjectMapper mapper) {
        this.renderer = renderer;
        this.mapper = mapper;
    }

    public Uni<TemplateResponse> create(TemplateRequest request, String actor) {
        validate(request);
        UUID id = UUID.randomUUID();
        return NativeSql.execute("""
                INSERT INTO template (id, name, channel, category, default_locale, contents, version, created_by, created_at, updated_at)
                VALUES (:id, :name, :channel, :category, :locale, CAST(CAST(:contents AS text) AS jsonb), 1, :actor, now(), now())
                ON CONFLICT DO NOTHING""", NativeSql.params("id", id, "name", request.name().trim(), "channel", request.channel(),
                "category", request.category(), "locale", request.defaultLocale(), "contents", NativeSql.json(request.contents()),
                "actor", actor))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("A template named '" + request.name().trim() + "' exists already.");
                    }
                    return get(id);
                });
    }

    /** Replaces a template's name, category and contents; the channel is fixed, {@code version} must be current. */
    public Uni<TemplateResponse> update(UUID id, TemplateRequest request) {
        validate(request);
        if (request.version() == null) {
            throw ProblemException.badRequest("The template's current version is required.",
                    List.of(new Problem.FieldError("version", "is required: the version you read")));
        }
        return get(id).flatMap(current -> {
            if (!current.channel().equals(request.channel())) {
                throw ProblemException.badRequest("A template's channel cannot change; create a new template.",
                        List.of(new Problem.FieldError("channel", "must stay " + current.channel())));
            }
            return NativeSql.execute("""
                    UPDATE template SET name = :name, category = :category, default_locale = :locale,
                        contents = CAST(CAST(:contents AS text) AS jsonb), version = version + 1, updated_at = now()
                    WHERE id = :id AND version = :version AND NOT archived""", NativeSql.params("id", id, "name", request.name().trim(),
                    "category", request.category(), "locale", request.defaultLocale(),
                    "contents", NativeSql.json(request.contents()), "version", request.version()));
        }).flatMap(updated -> {
            if (updated == 0) {
                throw ProblemException.conflict("Template " + id + " was changed since version " + request.version()
                        + " (or is archived); read it again.");
            }
            return get(id);
        });
    }

    public Uni<TemplateResponse> archive(UUID id) {
        return NativeSql.execute("UPDATE template SET archived = true, updated_at = now() WHERE id = :id", Map.of("id", id))
                .flatMap(x -> get(id));
    }

    public Uni<TemplateResponse> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM template WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(this::toResponse)
                        .orElseThrow(() -> ProblemException.notFound("No template " + id + ".")));
    }

    /** A template new messages may use: 400 naming {@code templateId} when it does not exist or is archived. */
    public Uni<TemplateResponse> usable(UUID id) {
        return get(id).onFailure(ProblemException.class).transform(e -> ProblemException.badRequest("No template " + id + ".",
                List.of(new Problem.FieldError("templateId", "no such template"))))
                .map(template -> {
                    if (template.archived()) {
                        throw ProblemException.badRequest("Template " + id + " is archived.",
                                List.of(new Problem.FieldError("templateId", "is archived")));
                    }
                    return template;
                });
    }

    /** The send data a template reads under {@code data.*}, as JSON with sorted keys; too large adds a field error. */
    public static String sendData(Map<String, Object> data, List<Problem.FieldError> errors) {
        String json = NativeSql.json(data == null ? Map.of() : new java.util.TreeMap<>(data));
        if (json.length() > MAX_DATA) {
            errors.add(new Problem.FieldError("data", "must be at most " + MAX_DATA + " bytes of JSON"));
        }
        return json;
    }

    public Uni<List<TemplateResponse>> list(String channel, boolean archived) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM template WHERE (CAST(:channel AS text) IS NULL OR channel = :channel)"
                + " AND (archived = false OR :archived) ORDER BY lower(name) LIMIT 1000", Object[].class,
                NativeSql.params("channel", channel, "archived", archived))
                .map(rows -> rows.stream().map(this::toResponse).toList());
    }

    /** Renders a template for a sample customer, as a send would, with placeholder links. */
    public Uni<Preview> preview(UUID id, PreviewRequest request) {
        return get(id).map(template -> {
            Map<String, Object> customer = new LinkedHashMap<>(Map.of("firstName", "Alex", "lastName", "Sample",
                    "lastOrder", Map.of("id", "SAMPLE-1001", "placedAt", "2026-01-15T10:00:00Z")));
            if (request != null && request.customer() != null) {
                customer.putAll(request.customer());
            }
            String locale = request == null || request.locale() == null ? template.defaultLocale() : request.locale();
            customer.put("locale", locale);
            Map<String, Object> values = Map.of("customer", customer,
                    "data", request == null || request.data() == null ? Map.of() : request.data(),
                    "links", Map.of("unsubscribe", "https://example.invalid/t/u/preview"), "message", Map.of("id", "preview"));
            try {
                Rendered rendered = render(template, locale, values);
                return new Preview(rendered.locale(), rendered.subject(), rendered.body());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("The template cannot be rendered with this sample: " + e.getMessage(),
                        List.of(new Problem.FieldError("data", e.getMessage())));
            }
        });
    }

    /** A template rendered for one locale. */
    public record Rendered(String locale, String subject, String body) {
    }

    /** Renders subject and body in the content that fits {@code locale}; throws IllegalArgumentException on missing values. */
    public Rendered render(TemplateResponse template, String locale, Map<String, Object> values) {
        Map.Entry<String, Content> content = TemplateRenderer.contentFor(template.contents(), locale, template.defaultLocale());
        String key = template.id() + "@" + template.version() + "/" + content.getKey();
        String subject = content.getValue().subject() == null ? null
                : renderer.render(key + "/subject", content.getValue().subject(), false, values);
        String body = renderer.render(key + "/body", content.getValue().body(), "email".equals(template.channel()), values);
        return new Rendered(content.getKey(), subject, body);
    }

    private void validate(TemplateRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r == null) {
            throw ProblemException.badRequest("A template is required.", List.of());
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (r.channel() == null || !CHANNELS.contains(r.channel())) {
            errors.add(new Problem.FieldError("channel", "must be one of " + CHANNELS.stream().sorted().toList()));
        }
        if (r.category() == null || !CATEGORIES.contains(r.category())) {
            errors.add(new Problem.FieldError("category", "must be marketing or transactional"));
        }
        if (r.defaultLocale() == null || !r.defaultLocale().matches(LOCALE)) {
            errors.add(new Problem.FieldError("defaultLocale", "must be a BCP 47 language tag such as en or zh-CN"));
        }
        if (r.contents() == null || r.contents().isEmpty()) {
            errors.add(new Problem.FieldError("contents", "must hold the text of at least the default locale"));
        } else {
            if (r.defaultLocale() != null && !r.contents().containsKey(r.defaultLocale())) {
                errors.add(new Problem.FieldError("contents", "must hold the default locale " + r.defaultLocale()));
            }
            boolean html = "email".equals(r.channel());
            boolean titled = "email".equals(r.channel()) || "push".equals(r.channel());
            r.contents().forEach((locale, content) -> {
                String field = "contents." + locale;
                if (!locale.matches(LOCALE)) {
                    errors.add(new Problem.FieldError(field, "must be keyed by a BCP 47 language tag"));
                }
                if (content == null || content.body() == null || content.body().isBlank() || content.body().length() > MAX_BODY) {
                    errors.add(new Problem.FieldError(field + ".body", "is required, at most " + MAX_BODY + " characters"));
                } else {
                    errors.addAll(renderer.check(field + ".body", content.body(), html));
                }
                if (titled && (content == null || content.subject() == null || content.subject().isBlank())) {
                    errors.add(new Problem.FieldError(field + ".subject", "is required for " + r.channel()));
                } else if (content != null && content.subject() != null) {
                    errors.addAll(renderer.check(field + ".subject", content.subject(), false));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The template has invalid fields.", errors);
        }
    }

    private TemplateResponse toResponse(Object[] r) {
        try {
            return new TemplateResponse((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    mapper.readValue((String) r[5], CONTENTS), (Boolean) r[6], ((Number) r[7]).longValue(), (String) r[8],
                    NativeSql.instant(r[9]), NativeSql.instant(r[10]));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("template " + r[0] + " has unreadable contents", e);
        }
    }
}
