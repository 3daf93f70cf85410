package io.custops.profile.rest.dto;

import java.util.List;

/** One page of profiles; {@code nextCursor} is null on the last page. */
public record ProfilePage(List<ProfileResponse> items, String nextCursor) {
}
