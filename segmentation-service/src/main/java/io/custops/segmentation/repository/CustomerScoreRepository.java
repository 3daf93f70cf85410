package io.custops.segmentation.repository;

import java.util.UUID;

import io.custops.segmentation.domain.CustomerScore;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CustomerScoreRepository implements PanacheRepositoryBase<CustomerScore, UUID> {
}
