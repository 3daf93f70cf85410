package io.custops.profile.rest.dto;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import io.custops.events.payload.TagsChanged.TagRef;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response shapes of the tag API. */
public final class TagDtos {
    private TagDtos() {
    }

    public record Definition(@Size(max = 500) String description) {
    }

    public record Group(String name, String description, List<Tag> tags) {
    }

    public record Tag(String name, String description) {
    }

    public record Ref(
            @NotBlank @Pattern(regexp = "^[a-z][a-z0-9_]{0,62}$", message = "must be snake_case") String group,
            @NotBlank @Pattern(regexp = "^[a-z0-9][a-z0-9_-]{0,62}$", message = "must be lower-case letters, digits, _ or -") String tag) {
        public TagRef toRef() {
            return new TagRef(group, tag);
        }
    }

    /** Tags to add and remove for one customer. */
    public record Change(@Size(max = 50) List<@Valid Ref> add, @Size(max = 50) List<@Valid Ref> remove) {
    }

    /**
     * Bulk tagging: either explicit customer ids (up to 1,000) or a filter with the search parameters
     * (identifier, attribute, tag, status, created/updated ranges), never both.
     */
    public record Bulk(@Size(max = 50) List<@Valid Ref> add, @Size(max = 50) List<@Valid Ref> remove,
            @Size(max = 1000) List<UUID> customerIds, @Valid BulkFilter filter) {
    }

    public record BulkFilter(String identifier, List<String> attribute, List<String> tag, String status,
            java.time.Instant createdFrom, java.time.Instant createdTo, java.time.Instant updatedFrom,
            java.time.Instant updatedTo) {
    }

    /** How many customers gained or lost a tag. */
    public record BulkResult(int customersChanged, int tagsAdded, int tagsRemoved) {
    }

    /** Share of all customers carrying at least one tag of the group (the plans' "tag coverage ≥ 95%"). */
    public record Coverage(String group, long taggedCustomers, long totalCustomers, BigDecimal coverage) {
    }
}
