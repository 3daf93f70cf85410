package io.custops.campaign.delivery;

import java.util.function.LongSupplier;

/** Paces sends to at most {@code perSecond} for one channel on this replica (the provider's contracted rate). */
final class RateLimiter {
    /** Waits the given nanoseconds (a seam so the pacing can be checked without a clock on the wall). */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long next;

    RateLimiter(double perSecond) {
        this(perSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    RateLimiter(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.intervalNanos = (long) (1_000_000_000L / Math.max(perSecond, 0.001));
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.next = nanoTime.getAsLong();
    }

    /** Blocks until this caller's slot: slots are 1/perSecond apart, and an idle limiter does not save up a burst. */
    synchronized void acquire() {
        long now = nanoTime.getAsLong();
        if (next > now) {
            try {
                sleeper.sleep(next - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        next = Math.max(next, now) + intervalNanos;
    }
}
