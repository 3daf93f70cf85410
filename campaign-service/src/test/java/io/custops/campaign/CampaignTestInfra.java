package io.custops.campaign;

import io.custops.local.testing.CustopsTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Real PostgreSQL, Kafka and OIDC for every test of this module (a global test resource). */
@QuarkusTestResource(value = CustopsTestInfra.class, initArgs = {
        @ResourceArg(name = "database", value = "custops_campaign"),
        @ResourceArg(name = "topics", value = "custops.profile.v1,custops.activity.v1,custops.test.probe") })
public class CampaignTestInfra {
}
