package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;

import io.custops.events.EventType;
import io.custops.events.payload.Money;
import io.custops.events.payload.OrderPlaced;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.IngestedOrder;
import io.custops.profile.repository.IngestedOrderRepository;
import io.custops.profile.repository.ProfileRepository;
import io.custops.profile.rest.dto.IngestAccepted;
import io.custops.profile.rest.dto.IngestEventRequest;
import io.custops.profile.rest.dto.MoneyDto;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Accepts activity from source systems and publishes it on {@code custops.activity.v1}. The same order sent
 * again (same source and order id) is acknowledged as a duplicate and published only once.
 */
@ApplicationScoped
public class ActivityIngestService {
    private final ProfileRepository profiles;
    private final IngestedOrderRepository orders;
    private final EventOutbox outbox;
    private final Clock clock;

    public ActivityIngestService(ProfileRepository profiles, IngestedOrderRepository orders, EventOutbox outbox, Clock clock) {
        this.profiles = profiles;
        this.orders = orders;
        this.outbox = outbox;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<IngestAccepted> ingest(IngestEventRequest request) {
        String source = request.source().trim();
        String orderId = request.orderId().trim();
        return orders.findById(new IngestedOrder.Key(source, orderId)).flatMap(known -> {
            if (known != null) {
                if (!known.customerId.equals(request.customerId())) {
                    throw ProblemException.conflict("Order " + orderId + " from " + source
                            + " was already ingested for another customer.");
                }
                return Uni.createFrom().item(new IngestAccepted(known.eventId, known.customerId, true));
            }
            return profiles.count("id", request.customerId()).flatMap(count -> {
                if (count == 0) {
                    throw ProblemException.notFound("No customer " + request.customerId() + ": register the profile first.");
                }
                return placeOrder(request, source, orderId);
            });
        });
    }

    private Uni<IngestAccepted> placeOrder(IngestEventRequest request, String source, String orderId) {
        OrderPlaced event = new OrderPlaced(request.customerId(), orderId, request.placedAt(), money(request.amount()),
                request.channel(), source, request.items() == null ? null : request.items().stream()
                        .map(item -> new OrderPlaced.Item(item.sku(), item.quantity(), money(item.unitPrice())))
                        .toList());
        return outbox.record(EventType.ORDER_PLACED, request.customerId(), event).flatMap(eventId -> {
            IngestedOrder order = new IngestedOrder();
            order.source = source;
            order.orderId = orderId;
            order.customerId = request.customerId();
            order.eventId = eventId;
            order.placedAt = request.placedAt();
            order.amount = request.amount().value();
            order.currency = request.amount().currency();
            order.receivedAt = Instant.now(clock);
            return orders.persist(order).replaceWith(new IngestAccepted(eventId, request.customerId(), false));
        });
    }

    private static Money money(MoneyDto dto) {
        return Money.of(dto.value(), dto.currency());
    }
}
