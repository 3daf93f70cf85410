package io.custops.evaluation;

import io.custops.local.testing.CustopsTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Real PostgreSQL, Kafka and OIDC for every test of this module (a global test resource). */
@QuarkusTestResource(value = CustopsTestInfra.class, initArgs = {
        @ResourceArg(name = "database", value = "custops_evaluation"),
        @ResourceArg(name = "topics", value = "custops.profile.v1,custops.activity.v1,custops.segmentation.v1,custops.campaign.v1,custops.community.v1,custops.evaluation.v1") })
public class EvaluationTestInfra {
}
