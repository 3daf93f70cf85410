package io.custops.community;

import io.custops.local.testing.CustopsTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Real PostgreSQL, Kafka and OIDC for every test of this module (a global test resource). */
@QuarkusTestResource(value = CustopsTestInfra.class, initArgs = {
        @ResourceArg(name = "database", value = "custops_community"),
        @ResourceArg(name = "topics", value = "custops.profile.v1,custops.activity.v1,custops.segmentation.v1,custops.community.v1") })
public class CommunityTestInfra {
}
