package io.custops.campaign;

import io.custops.local.testing.CustopsTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * Real PostgreSQL, Kafka and OIDC, a real SMTP server and HTTP providers on loopback, for every test of this module
 * (global test resources).
 */
@QuarkusTestResource(value = CustopsTestInfra.class, initArgs = {
        @ResourceArg(name = "database", value = "custops_campaign"),
        @ResourceArg(name = "topics", value = "custops.profile.v1,custops.activity.v1,custops.segmentation.v1,custops.campaign.v1,custops.evaluation.v1,custops.test.probe") })
@QuarkusTestResource(DeliveryTestInfra.class)
public class CampaignTestInfra {
}
