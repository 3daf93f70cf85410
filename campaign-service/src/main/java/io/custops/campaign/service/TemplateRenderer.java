package io.custops.campaign.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.custops.campaign.rest.dto.TemplateDtos.Content;
import io.custops.platform.problem.Problem;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.Variant;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Renders message templates with a Qute engine of our own that only knows maps, lists and literals: no beans, no
 * config, no reflection, no includes. A template is data that can only read the values a send hands it (the roots
 * in {@link #ROOTS}), never call code. E-mail bodies are HTML with every value escaped; other channels are text.
 */
@ApplicationScoped
public class TemplateRenderer {
    public static final Set<String> ROOTS = Set.of("customer", "data", "links", "message");
    /** Names a template defines itself: {@code {#for x in ...}}, {@code {#let x=...}}. */
    private static final java.util.regex.Pattern LOCALS = java.util.regex.Pattern.compile("\\{#(?:for|let)\\s+([A-Za-z_][A-Za-z0-9_]*)");

    private final Engine engine = Engine.builder().addDefaults().strictRendering(true)
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();

    /** Problems with the template text, as field errors under {@code field} (empty when it is fine). */
    public List<Problem.FieldError> check(String field, String source, boolean html) {
        List<Problem.FieldError> errors = new ArrayList<>();
        try {
            Template template = parse(source, html);
            Set<String> known = new java.util.HashSet<>(ROOTS);
            known.addAll(List.of("it", "item")); // {#each} items
            java.util.regex.Matcher loops = LOCALS.matcher(source);
            while (loops.find()) {
                known.add(loops.group(1));
            }
            for (Expression expression : template.getExpressions()) {
                if (!expression.isLiteral() && !expression.getParts().isEmpty()
                        && !known.contains(expression.getParts().get(0).getName())) {
                    errors.add(new Problem.FieldError(field, "unknown value {" + expression.toOriginalString()
                            + "}: templates may use only " + String.join(", ", ROOTS.stream().sorted().toList())));
                }
            }
        } catch (TemplateException e) {
            errors.add(new Problem.FieldError(field, "is not a valid template: " + e.getMessage()));
        }
        return errors;
    }

    /**
     * Renders one part of a template; a value the template needs that the send did not provide is an
     * {@link IllegalArgumentException} saying which.
     */
    public String render(String cacheKey, String source, boolean html, Map<String, Object> values) {
        Template template = parsed.computeIfAbsent(cacheKey + (html ? "#html" : "#text"), k -> parse(source, html));
        try {
            return template.data(values).render();
        } catch (TemplateException e) {
            throw new IllegalArgumentException("template cannot be rendered: " + e.getMessage(), e);
        }
    }

    /** The content for a locale: exact (zh-CN), then its language (zh), then the template's default. */
    public static Map.Entry<String, Content> contentFor(Map<String, Content> contents, String locale, String defaultLocale) {
        if (locale != null) {
            for (Map.Entry<String, Content> entry : contents.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(locale)) {
                    return entry;
                }
            }
            String language = locale.split("[-_]")[0].toLowerCase(Locale.ROOT);
            for (Map.Entry<String, Content> entry : contents.entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).equals(language)) {
                    return entry;
                }
            }
        }
        return Map.entry(defaultLocale, contents.get(defaultLocale));
    }

    private Template parse(String source, boolean html) {
        return html ? engine.parse(source, Variant.forContentType(Variant.TEXT_HTML)) : engine.parse(source);
    }
}
