package io.custops.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.custops.local.LocalStack;
import io.custops.local.infra.Net;

/**
 * One local stack for every end-to-end test class (only one can hold the gateway's port): the first class that
 * needs it starts it, and it stops when the whole test run ends (JUnit closes the root store's AutoCloseable values).
 */
final class SharedStack implements BeforeAllCallback {
    private static volatile LocalStack stack;

    private record Running(LocalStack stack) implements AutoCloseable {
        @Override
        public void close() {
            stack.stop();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(SharedStack.class))
                .computeIfAbsent(LocalStack.class, key -> start(), Running.class);
    }

    /** The running stack; only inside a class extended with this. */
    static LocalStack stack() {
        assertThat(stack).as("the test class must be annotated @ExtendWith(SharedStack.class)").isNotNull();
        return stack;
    }

    private static Running start() {
        assertThat(Net.listening("localhost", LocalStack.GATEWAY_PORT))
                .as("port %d is taken (is ./custops up running?): stop it before running this test", LocalStack.GATEWAY_PORT)
                .isFalse();
        LocalStack started = new LocalStack();
        try {
            started.up();
        } catch (RuntimeException e) {
            started.stop(); // whatever did start
            throw e;
        }
        stack = started;
        return new Running(started);
    }
}
