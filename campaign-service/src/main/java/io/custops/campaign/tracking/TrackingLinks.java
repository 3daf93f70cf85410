package io.custops.campaign.tracking;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.custops.campaign.config.TrackingConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The public tracking links of a message: {@code /t/o/{message}/{sig}} (open pixel), {@code /t/c/{message}/{sig}?u=}
 * (click redirect) and {@code /t/u/{message}/{sig}} (one-click unsubscribe). Each carries an HMAC-SHA256 over the
 * action, the message id and, for clicks, the target URL, so no link can be forged or pointed elsewhere (no open
 * redirect) without the key.
 */
@ApplicationScoped
public class TrackingLinks {
    public static final String OPEN = "o";
    public static final String CLICK = "c";
    public static final String UNSUBSCRIBE = "u";

    private final String baseUrl;
    private final SecretKeySpec key;
    /** A Mac per thread: getting and keying one for every link costs more than the signature itself. */
    private final ThreadLocal<Mac> macs;

    public TrackingLinks(TrackingConfig config) {
        if (config.secret().length() < 32) {
            throw new IllegalStateException("custops.tracking.secret must be at least 32 characters");
        }
        this.baseUrl = config.baseUrl().replaceAll("/+$", "");
        this.key = new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    public String open(UUID message) {
        return baseUrl + "/t/o/" + message + "/" + sign(OPEN, message, "");
    }

    public String click(UUID message, String url) {
        return baseUrl + "/t/c/" + message + "/" + sign(CLICK, message, url) + "?u=" + URLEncoder.encode(url, StandardCharsets.UTF_8);
    }

    public String unsubscribe(UUID message) {
        return baseUrl + "/t/u/" + message + "/" + sign(UNSUBSCRIBE, message, "");
    }

    /** Whether {@code signature} is this service's signature of the action, message and URL (constant time). */
    public boolean valid(String action, UUID message, String url, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(action, message, url == null ? "" : url).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String action, UUID message, String url) {
        byte[] digest = macs.get().doFinal((action + "\n" + message + "\n" + url).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
