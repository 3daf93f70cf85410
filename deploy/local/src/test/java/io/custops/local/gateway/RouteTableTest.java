package io.custops.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable routes = RouteTable.load();

    @Test
    void matchesWholePathSegmentsOnly() {
        assertThat(routes.match("/api/profiles")).map(RouteTable.Route::service).contains("customer-profile-service");
        assertThat(routes.match("/api/profiles/42/tags")).map(RouteTable.Route::service).contains("customer-profile-service");
        assertThat(routes.match("/api/scores/x")).map(RouteTable.Route::service).contains("segmentation-service");
        assertThat(routes.match("/t/abc")).map(RouteTable.Route::service).contains("campaign-service");
        assertThat(routes.match("/dashboard")).map(RouteTable.Route::service).contains("evaluation-service");
        assertThat(routes.match("/api/profilesX")).isEmpty();
        assertThat(routes.match("/tracking")).isEmpty();
        assertThat(routes.match("/q/health")).isEmpty();
    }

    @Test
    void routesEveryPrefixOfTheDesignToItsOwner() {
        assertThat(routes.services()).isEqualTo(Set.of("customer-profile-service", "segmentation-service",
                "campaign-service", "community-service", "evaluation-service"));
        assertThat(routes.routes()).hasSize(20);
    }
}
