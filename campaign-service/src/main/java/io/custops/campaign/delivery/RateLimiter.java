package io.custops.campaign.delivery;

/** Paces sends to at most {@code perSecond} for one channel on this replica (the provider's contracted rate). */
final class RateLimiter {
    private final long intervalNanos;
    private long next = System.nanoTime();

    RateLimiter(double perSecond) {
        this.intervalNanos = (long) (1_000_000_000L / Math.max(perSecond, 0.001));
    }

    synchronized void acquire() {
        long now = System.nanoTime();
        if (next > now) {
            long wait = next - now;
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        next = Math.max(next, now) + intervalNanos;
    }
}
