package io.custops.community;

import io.custops.local.testing.CustomerEventTallyContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CustomerEventTallyTest extends CustomerEventTallyContract {
}
