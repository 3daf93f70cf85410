package io.custops.profile.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** The identifier kinds source systems send, each with its normalisation. */
public enum IdentifierType {
    EMAIL, PHONE, CRM_ID, ERP_ID, WECHAT_UNIONID, WECHAT_OPENID, DEVICE_ID, MEMBER_CARD;

    private static final Pattern EMAIL_SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IdentifierType fromWire(String name) {
        return IdentifierType.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * The canonical form of a raw value: lower-case e-mail, E.164 phone (separators removed), other ids
     * trimmed. Throws {@link IllegalArgumentException} with a caller-facing reason when the value cannot be one.
     */
    public String normalise(String raw) {
        String value = raw == null ? "" : raw.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        return switch (this) {
            case EMAIL -> {
                String email = value.toLowerCase(Locale.ROOT);
                if (!EMAIL_SHAPE.matcher(email).matches()) {
                    throw new IllegalArgumentException("is not an e-mail address");
                }
                yield email;
            }
            case PHONE -> {
                String phone = value.replaceAll("[\\s().-]", "");
                if (phone.startsWith("00")) {
                    phone = "+" + phone.substring(2);
                }
                if (!E164.matcher(phone).matches()) {
                    throw new IllegalArgumentException("is not an E.164 phone number (+ country code and number)");
                }
                yield phone;
            }
            default -> {
                if (value.length() > 256) {
                    throw new IllegalArgumentException("is longer than 256 characters");
                }
                yield value;
            }
        };
    }
}
