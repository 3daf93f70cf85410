package io.custops.profile.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.custops.platform.problem.Problem;
import io.custops.profile.config.IdentityConfig;
import io.custops.profile.domain.IdentifierType;
import io.custops.profile.rest.dto.IdentifierDto;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns raw identifiers into normalised, usable ones: unknown types and malformed values are errors,
 * blocked values (placeholders such as "anonymous" or a shop's test number) are dropped so they can never
 * link two people.
 */
@ApplicationScoped
public class IdentifierPolicy {
    private final IdentityConfig config;
    private final List<IdentifierType> priority;
    private final Set<String> blocked;

    public IdentifierPolicy(IdentityConfig config) {
        this.config = config;
        this.priority = config.priority().stream().map(IdentifierType::fromWire).toList();
        this.blocked = java.util.stream.Stream.concat(config.blockedValues().stream(), config.blockedTestValues().stream())
                .map(v -> v.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** A normalised identifier. */
    public record Identifier(IdentifierType type, String value) {
        public String key() {
            return type + ":" + value;
        }
    }

    /** The outcome of normalising a list: usable identifiers, the dropped blocked ones, and field errors. */
    public record Normalised(List<Identifier> usable, List<IdentifierDto> blocked, List<Problem.FieldError> errors) {
    }

    /** @param fieldPrefix the JSON path of the list, for error messages, e.g. "identifiers" */
    public Normalised normalise(List<IdentifierDto> raw, String fieldPrefix) {
        List<Identifier> usable = new ArrayList<>();
        List<IdentifierDto> dropped = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            IdentifierDto dto = raw.get(i);
            String at = fieldPrefix + "[" + i + "]";
            if (dto == null || dto.type() == null) {
                errors.add(new Problem.FieldError(at + ".type", "is required"));
                continue;
            }
            IdentifierType type;
            try {
                type = IdentifierType.fromWire(dto.type());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError(at + ".type", "is not one of email, phone, crm_id, erp_id, "
                        + "wechat_unionid, wechat_openid, device_id, member_card"));
                continue;
            }
            if (dto.value() != null && blocked.contains(dto.value().trim().toLowerCase(Locale.ROOT))) {
                dropped.add(dto);
                continue;
            }
            try {
                Identifier identifier = new Identifier(type, type.normalise(dto.value()));
                if (blocked.contains(identifier.value().toLowerCase(Locale.ROOT))) {
                    dropped.add(dto);
                } else if (usable.stream().noneMatch(u -> u.key().equals(identifier.key()))) {
                    usable.add(identifier);
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError(at + ".value", e.getMessage()));
            }
        }
        usable.sort(byPriority());
        return new Normalised(usable, dropped, errors);
    }

    /** Orders identifiers from the most to the least trusted type. */
    public Comparator<Identifier> byPriority() {
        return Comparator.comparingInt(identifier -> rank(identifier.type()));
    }

    public int maxPerProfile(IdentifierType type) {
        return config.maxPerProfile().getOrDefault(type.wireName(), config.defaultMaxPerProfile());
    }

    private int rank(IdentifierType type) {
        int rank = priority.indexOf(type);
        return rank < 0 ? priority.size() : rank;
    }
}
