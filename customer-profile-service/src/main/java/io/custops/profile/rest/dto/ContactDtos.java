package io.custops.profile.rest.dto;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The bulk contact lookup services make before they message customers. */
public final class ContactDtos {
    private ContactDtos() {
    }

    public record ContactRequest(@NotNull @Size(min = 1, max = 1000, message = "must list 1 to 1000 customer ids") List<@NotNull UUID> customerIds) {
    }

    /**
     * Where and how to reach one customer: the address per channel (null when there is none), name, locale and time
     * zone for personalisation and quiet hours. When a customer has several identifiers of a kind, the first in
     * alphabetical order.
     */
    public record Contact(UUID customerId, String email, String phone, String deviceId, String wechatOpenId, String firstName,
            String lastName, String locale, String timeZone) {
    }

    /** The contacts found; ids that are unknown, merged away or erased are listed in {@code unknown}. */
    public record ContactResponse(List<Contact> contacts, List<UUID> unknown) {
    }
}
