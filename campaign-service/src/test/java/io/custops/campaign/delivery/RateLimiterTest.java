package io.custops.campaign.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-channel pacing, on a simulated clock: the sleeps it asks for, not how long a test took. */
class RateLimiterTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new ArrayList<>();
    private final RateLimiter.Sleeper sleeper = nanos -> {
        sleeps.add(nanos);
        clock.addAndGet(nanos);
    };

    @Test
    void backToBackSendsAreSpacedByTheChannelsInterval() {
        RateLimiter limiter = new RateLimiter(10, clock::get, sleeper);
        for (int i = 0; i < 5; i++) {
            limiter.acquire();
        }
        assertThat(sleeps).containsExactly(100_000_000L, 100_000_000L, 100_000_000L, 100_000_000L);
        assertThat(clock.get() - 1_000_000_000L).isEqualTo(400_000_000L); // five sends at 10/s take 0.4 s
    }

    @Test
    void aLimiterThatWasIdleDoesNotReleaseABurst() {
        RateLimiter limiter = new RateLimiter(2, clock::get, sleeper);
        limiter.acquire();
        clock.addAndGet(10_000_000_000L); // ten quiet seconds
        limiter.acquire();
        limiter.acquire();
        assertThat(sleeps).containsExactly(500_000_000L);
    }

    @Test
    void sendsSlowerThanTheRateNeverWait() {
        RateLimiter limiter = new RateLimiter(100, clock::get, sleeper);
        for (int i = 0; i < 3; i++) {
            limiter.acquire();
            clock.addAndGet(20_000_000L);
        }
        assertThat(sleeps).isEmpty();
    }
}
