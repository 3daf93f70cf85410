package io.custops.profile.service;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.Address;
import io.custops.profile.domain.AttributeDefinition;
import io.custops.profile.domain.Profile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

/**
 * Applies a JSON merge patch (RFC 7396) to a profile: {@code null} clears a field, custom attributes are merged
 * key by key under {@code attributes}. Every field is checked first and all problems are reported together;
 * nothing is changed unless the whole patch is valid. Undeclared or mistyped attributes are refused.
 */
@ApplicationScoped
public class ProfilePatcher {
    public static final Set<String> GENDERS = Set.of("female", "male", "non_binary", "undisclosed");
    /** Everything staff and integrators may patch. */
    public static final Set<String> FIELDS = Set.of("firstName", "lastName", "gender", "birthday", "locale", "timeZone",
            "region", "registrationChannel", "addresses", "attributes");
    private static final java.util.regex.Pattern LOCALE = java.util.regex.Pattern.compile("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$");

    private final ObjectMapper mapper;
    private final Validator validator;

    public ProfilePatcher(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    /** What a member may change about themselves: personal details, not business data. */
    public static final Set<String> MEMBER_FIELDS = Set.of("firstName", "lastName", "gender", "birthday", "locale",
            "timeZone", "addresses");

    /**
     * @param allowed the fields this caller may patch
     * @return the names of the changed fields ({@code attributes.<name>} for custom attributes)
     */
    public Set<String> apply(Profile profile, JsonNode patch, Map<String, AttributeDefinition> definitions, Set<String> allowed) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("A merge patch must be a JSON object.", List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        List<Runnable> changes = new ArrayList<>();
        Set<String> changed = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (!FIELDS.contains(name)) {
                errors.add(new Problem.FieldError(name, "is not a profile attribute that can be patched; custom attributes "
                        + "go under 'attributes' and must be declared in the attribute schema"));
                continue;
            }
            if (!allowed.contains(name)) {
                errors.add(new Problem.FieldError(name, "cannot be changed by you"));
                continue;
            }
            switch (name) {
                case "firstName" -> text(value, name, 100, errors).ifPresent(v -> changes.add(() -> profile.firstName = v.value()));
                case "lastName" -> text(value, name, 100, errors).ifPresent(v -> changes.add(() -> profile.lastName = v.value()));
                case "region" -> text(value, name, 64, errors).ifPresent(v -> changes.add(() -> profile.region = v.value()));
                case "registrationChannel" -> text(value, name, 64, errors)
                        .ifPresent(v -> changes.add(() -> profile.registrationChannel = v.value()));
                case "gender" -> text(value, name, 20, errors).ifPresent(v -> {
                    if (v.value() != null && !GENDERS.contains(v.value())) {
                        errors.add(new Problem.FieldError(name, "must be one of " + new TreeSet<>(GENDERS)));
                    } else {
                        changes.add(() -> profile.gender = v.value());
                    }
                });
                case "locale" -> text(value, name, 35, errors).ifPresent(v -> {
                    if (v.value() != null && !LOCALE.matcher(v.value()).matches()) {
                        errors.add(new Problem.FieldError(name, "must be a BCP 47 language tag such as zh-CN"));
                    } else {
                        changes.add(() -> profile.locale = v.value());
                    }
                });
                case "timeZone" -> text(value, name, 64, errors).ifPresent(v -> {
                    try {
                        String zone = v.value() == null ? null : ZoneId.of(v.value()).getId();
                        changes.add(() -> profile.timeZone = zone);
                    } catch (DateTimeException e) {
                        errors.add(new Problem.FieldError(name, "must be an IANA time zone such as Asia/Shanghai"));
                    }
                });
                case "birthday" -> text(value, name, 10, errors).ifPresent(v -> {
                    try {
                        LocalDate date = v.value() == null ? null : LocalDate.parse(v.value());
                        if (date != null && (date.isAfter(LocalDate.now()) || date.isBefore(LocalDate.of(1900, 1, 1)))) {
                            errors.add(new Problem.FieldError(name, "must lie between 1900-01-01 and today"));
                        } else {
                            changes.add(() -> profile.birthday = date);
                        }
                    } catch (DateTimeException e) {
                        errors.add(new Problem.FieldError(name, "must be a date such as 1990-04-01"));
                    }
                });
                case "addresses" -> addresses(value, errors).ifPresent(list -> changes.add(() -> profile.addresses = list));
                case "attributes" -> attributes(profile, value, definitions, errors, changes, changed);
                default -> throw new IllegalStateException(name);
            }
            if (!"attributes".equals(name)) {
                changed.add(name);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The patch has invalid fields; nothing was changed.", errors);
        }
        changes.forEach(Runnable::run);
        return changed;
    }

    private record Text(String value) {
    }

    private static java.util.Optional<Text> text(JsonNode value, String field, int max, List<Problem.FieldError> errors) {
        if (value.isNull()) {
            return java.util.Optional.of(new Text(null));
        }
        if (!value.isTextual() || value.asText().length() > max) {
            errors.add(new Problem.FieldError(field, "must be a string of at most " + max + " characters, or null"));
            return java.util.Optional.empty();
        }
        String text = value.asText().trim();
        return java.util.Optional.of(new Text(text.isEmpty() ? null : text));
    }

    private java.util.Optional<List<Address>> addresses(JsonNode value, List<Problem.FieldError> errors) {
        if (value.isNull()) {
            return java.util.Optional.of(new ArrayList<>());
        }
        if (!value.isArray() || value.size() > 10) {
            errors.add(new Problem.FieldError("addresses", "must be an array of at most 10 addresses, or null"));
            return java.util.Optional.empty();
        }
        List<Address> addresses = new ArrayList<>();
        int before = errors.size();
        for (int i = 0; i < value.size(); i++) {
            try {
                Address address = mapper.treeToValue(value.get(i), Address.class);
                int index = i;
                validator.validate(address).forEach(v -> errors.add(new Problem.FieldError(
                        "addresses[" + index + "]." + v.getPropertyPath(), v.getMessage())));
                addresses.add(address);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                errors.add(new Problem.FieldError("addresses[" + i + "]", "is not an address object"));
            }
        }
        return errors.size() == before ? java.util.Optional.of(addresses) : java.util.Optional.empty();
    }

    private static void attributes(Profile profile, JsonNode value, Map<String, AttributeDefinition> definitions,
            List<Problem.FieldError> errors, List<Runnable> changes, Set<String> changed) {
        if (!value.isObject()) {
            errors.add(new Problem.FieldError("attributes", "must be an object of declared custom attributes"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String field = "attributes." + name;
            AttributeDefinition definition = definitions.get(name);
            if (definition == null) {
                errors.add(new Problem.FieldError(field, "is not declared in the attribute schema"));
                continue;
            }
            if (entry.getValue().isNull()) {
                changes.add(() -> profile.attributes.remove(name));
                changed.add(field);
                continue;
            }
            try {
                Object coerced = definition.type.coerce(entry.getValue(), definition.enumValues);
                changes.add(() -> profile.attributes.put(name, coerced));
                changed.add(field);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError(field, e.getMessage() + " (declared " + definition.type.wireName() + ")"));
            }
        }
    }
}
