package io.custops.evaluation;

import io.custops.local.testing.CustomerEventTallyContract;
import io.quarkus.test.junit.QuarkusTest;

/** Runs the shared contract's tests (and their assertions) against this service's wiring and database. */
@QuarkusTest
class CustomerEventTallyTest extends CustomerEventTallyContract {
}
