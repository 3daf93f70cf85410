package io.custops.segmentation.rest.dto;

import java.util.List;
import java.util.UUID;

/**
 * Members of a static segment: {@code mode} {@code replace} (the default: exactly these), {@code add} or
 * {@code remove}; at most 100,000 ids per request.
 */
public record MemberUpload(List<UUID> customerIds, String mode) {

    /** What the upload changed; {@code unknown} ids name no scored customer and were ignored. */
    public record Result(long entered, long exited, long unknown) {
    }
}
