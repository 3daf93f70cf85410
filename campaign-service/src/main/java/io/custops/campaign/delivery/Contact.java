package io.custops.campaign.delivery;

import java.util.UUID;

/** How to reach one customer, as the profile API's contact lookup answers (PII: held in memory for one send only). */
public record Contact(UUID customerId, String email, String phone, String deviceId, String wechatOpenId, String firstName,
        String lastName, String locale, String timeZone) {

    /** The address for a channel, or null when the customer has none. */
    public String address(String channel) {
        return switch (channel) {
            case "email" -> email;
            case "sms" -> phone;
            case "push" -> deviceId;
            case "wechat" -> wechatOpenId;
            default -> null;
        };
    }
}
