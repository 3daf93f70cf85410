package io.custops.profile.service;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.custops.platform.problem.Problem;
import io.custops.profile.rest.dto.ComplaintResolvedData;
import io.custops.profile.rest.dto.FeedbackData;
import io.custops.profile.rest.dto.IngestEvent;
import io.custops.profile.rest.dto.InteractionData;
import io.custops.profile.rest.dto.OrderPlacedData;
import io.custops.profile.rest.dto.OrderRefundedData;
import io.custops.profile.service.IdentifierPolicy.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * Reads the items of an ingestion batch one by one, so that a bad item is reported with its index and fields
 * while the good ones go on: the envelope, then the type's {@code data}, then the identifiers.
 */
@ApplicationScoped
public class ActivityEventParser {
    public static final int MAX_BATCH = 500;

    private final ObjectMapper mapper;
    private final Validator validator;
    private final IdentifierPolicy policy;

    public ActivityEventParser(ObjectMapper mapper, Validator validator, IdentifierPolicy policy) {
        this.mapper = mapper;
        this.validator = validator;
        this.policy = policy;
    }

    /** An item of the batch: either ready to ingest or rejected with a problem. */
    public sealed interface Parsed permits Valid, Rejected {
        int index();

        String eventId();
    }

    /** @param data the typed data record; {@code usable} the normalised identifiers (empty when a customer id is given) */
    public record Valid(int index, IngestEvent event, Object data, List<Identifier> usable) implements Parsed {
        @Override
        public String eventId() {
            return event.eventId();
        }
    }

    public record Rejected(int index, String eventId, Problem problem) implements Parsed {
    }

    public List<Parsed> parse(List<JsonNode> items) {
        List<Parsed> parsed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            parsed.add(parseOne(i, items.get(i)));
        }
        return parsed;
    }

    private Parsed parseOne(int index, JsonNode node) {
        String eventId = node != null && node.path("eventId").isTextual() ? node.path("eventId").asText() : null;
        List<Problem.FieldError> errors = new ArrayList<>();
        IngestEvent event = read(node, IngestEvent.class, "", errors);
        if (event == null || !errors.isEmpty()) {
            return reject(index, eventId, errors);
        }
        Object data = read(event.data(), dataType(event.type()), "data.", errors);
        if (data == null || !errors.isEmpty()) {
            return reject(index, eventId, errors);
        }
        List<Identifier> usable = List.of();
        if (event.customerId() == null) {
            IdentifierPolicy.Normalised normalised = policy.normalise(event.identifiers(), "identifiers");
            errors.addAll(normalised.errors());
            if (errors.isEmpty() && normalised.usable().isEmpty()) {
                errors.add(new Problem.FieldError("identifiers", "holds no usable identifier (blocked placeholder values "
                        + "such as 'anonymous' or '-1' never identify anyone)"));
            }
            usable = normalised.usable();
        }
        return errors.isEmpty() ? new Valid(index, event, data, usable) : reject(index, eventId, errors);
    }

    private <T> T read(JsonNode node, Class<T> type, String prefix, List<Problem.FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new Problem.FieldError(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "must be a JSON object"));
            return null;
        }
        T value;
        try {
            value = mapper.treeToValue(node, type);
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            errors.add(new Problem.FieldError(prefix + field, "has the wrong type or format"));
            return null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            errors.add(new Problem.FieldError(prefix.isEmpty() ? "" : prefix, "cannot be read: " + e.getMessage()));
            return null;
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        violations.stream()
                .map(v -> new Problem.FieldError(prefix + fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .forEach(errors::add);
        return value;
    }

    /** Cross-field checks ({@code @AssertTrue} getters) are reported on the field they are about. */
    private static final Map<String, String> CHECKED_FIELDS = Map.of("identified", "identifiers", "totalValid", "total",
            "amountValid", "amount", "consistent", "score");

    private static String fieldOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        return CHECKED_FIELDS.getOrDefault(path, path);
    }

    private static Class<?> dataType(String type) {
        return switch (type) {
            case "OrderPlaced" -> OrderPlacedData.class;
            case "OrderRefunded" -> OrderRefundedData.class;
            case "InteractionRecorded" -> InteractionData.class;
            case "FeedbackSubmitted" -> FeedbackData.class;
            case "ComplaintResolved" -> ComplaintResolvedData.class;
            default -> throw new IllegalArgumentException("unsupported type " + type);
        };
    }

    private static Rejected reject(int index, String eventId, List<Problem.FieldError> errors) {
        return new Rejected(index, eventId, new Problem(URI.create("about:blank"), "Bad Request", 400,
                "Event " + index + " is invalid and was not ingested.", null, errors));
    }
}
