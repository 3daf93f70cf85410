package io.custops.campaign.delivery;

/** A provider did not take a message; {@code retryable} when trying again later may succeed (timeouts, 5xx, 429). */
public class DeliveryException extends RuntimeException {
    private final boolean retryable;

    public DeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
