package io.custops.profile.rest.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** An identifier as a source system sends it, e.g. {"type":"email","value":"Ada@Example.com"}. */
public record IdentifierDto(
        @NotBlank(message = "is required: one of email, phone, crm_id, erp_id, wechat_unionid, wechat_openid, device_id, member_card")
        String type,
        @NotBlank @Size(max = 256) String value) {
}
