package io.custops.campaign.delivery;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.campaign.config.DeliveryConfig;
import io.custops.campaign.rest.dto.TemplateDtos.TemplateResponse;
import io.custops.campaign.service.Templates;
import io.custops.campaign.tracking.TrackingLinks;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.outbox.OutboxEvent;
import io.custops.platform.persistence.NativeSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The delivery worker, on every replica: claims due messages through {@link Safeguards}, looks up the customers'
 * contacts in one call, holds back marketing in the customer's quiet hours (deferred to their end, or suppressed),
 * renders each template in the customer's locale with tracking links, hands it to the channel at the channel's
 * rate, and records every outcome with its event. A provider failure is retried with a doubling backoff up to
 * {@code max-attempts}, then the message fails. Nothing waits in memory: a deferred or retried message is a row
 * with a later {@code not_before}.
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final Pattern HREF = Pattern.compile("href=\"(https?://[^\"]+)\"");
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Safeguards safeguards;
    private final ProfileApi contacts;
    private final Templates templates;
    private final TrackingLinks links;
    private final EventOutbox outbox;
    private final DeliveryConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Map<String, ChannelSender> senders = new HashMap<>();
    private final Map<String, RateLimiter> limits = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService senderPool;

    public Dispatcher(Safeguards safeguards, ProfileApi contacts, Templates templates, TrackingLinks links, EventOutbox outbox,
            DeliveryConfig config, ObjectMapper mapper, Clock clock, EmailSender email) {
        this.senderPool = Executors.newFixedThreadPool(config.parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "delivery-sender");
            thread.setDaemon(true);
            return thread;
        });
        this.safeguards = safeguards;
        this.contacts = contacts;
        this.templates = templates;
        this.links = links;
        this.outbox = outbox;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        senders.put("email", email);
        config.channels().forEach((channel, settings) -> {
            if (!"email".equals(channel)) {
                senders.put(channel, new HttpChannelSender(channel, settings, mapper));
            }
            limits.put(channel, new RateLimiter(settings.ratePerSecond()));
        });
    }

    /** What became of one claimed message. */
    private record Outcome(MessageRow message, String status, String reason, Instant notBefore, Instant at) {
    }

    @Scheduled(every = "${custops.delivery.poll-interval:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void work() {
        try {
            while (round() > 0) {
                // keep going while there is due work
            }
        } catch (Throwable e) {
            LOG.warnf("delivery round failed, retrying: %s", e.toString());
        }
    }

    /** One batch: returns how many messages it handled. */
    int round() throws Throwable {
        Instant now = Instant.now(clock);
        List<MessageRow> claimed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> safeguards.claim(now)));
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Outcome> outcomes = new ArrayList<>();
        Map<UUID, Contact> found;
        try {
            found = contacts.lookup(claimed.stream().map(MessageRow::customerId).toList());
        } catch (RuntimeException e) {
            LOG.warnf("contact lookup failed, %d messages wait: %s", claimed.size(), e.getMessage());
            claimed.forEach(m -> outcomes.add(retry(m, "contact lookup failed: " + e.getMessage(), now)));
            record(outcomes);
            return claimed.size();
        }
        Map<UUID, Map<String, Object>> lastOrders = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> lastOrders(claimed.stream().map(MessageRow::customerId).distinct().toList())));
        Map<UUID, TemplateResponse> batchTemplates = new HashMap<>();
        for (UUID id : claimed.stream().map(MessageRow::templateId).distinct().toList()) {
            batchTemplates.put(id, VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> templates.get(id))));
        }
        // the batch's sends go out in parallel (providers answer in milliseconds; one at a time would idle the worker)
        List<CompletableFuture<Outcome>> sending = claimed.stream().map(message -> CompletableFuture.supplyAsync(
                () -> deliver(message, found.get(message.customerId()), lastOrders.getOrDefault(message.customerId(), Map.of()),
                        batchTemplates.get(message.templateId())), senderPool)).toList();
        for (CompletableFuture<Outcome> outcome : sending) {
            outcomes.add(outcome.join());
        }
        record(outcomes);
        return claimed.size();
    }

    private Outcome deliver(MessageRow message, Contact contact, Map<String, Object> lastOrder, TemplateResponse template) {
        Instant now = Instant.now(clock);
        String address = contact == null ? null : contact.address(message.channel());
        if (address == null || address.isBlank()) {
            return new Outcome(message, "suppressed", "no-address", null, now);
        }
        if (message.marketing() && config.quietHours().enabled()) {
            Optional<Instant> quietUntil = quietUntil(now, zone(contact.timeZone()));
            if (quietUntil.isPresent()) {
                return "skip".equals(config.quietHours().mode()) ? new Outcome(message, "suppressed", "quiet-hours", null, now)
                        : new Outcome(message, "queued", "deferred: quiet hours", quietUntil.get(), now);
            }
        }
        String unsubscribe = message.marketing() ? links.unsubscribe(message.id()) : null;
        OutgoingMessage outgoing;
        try {
            Templates.Rendered rendered = templates.render(template, contact.locale(), values(message, contact, lastOrder, unsubscribe));
            outgoing = new OutgoingMessage(message.id(), message.channel(), address, rendered.subject(),
                    tracked(message, rendered.body()), unsubscribe);
        } catch (IllegalArgumentException e) {
            return new Outcome(message, "failed", e.getMessage(), null, now);
        }
        try {
            limits.computeIfAbsent(message.channel(), c -> new RateLimiter(50)).acquire();
            ChannelSender sender = senders.get(message.channel());
            if (sender == null) {
                return new Outcome(message, "failed", "no provider configured for " + message.channel(), null, now);
            }
            sender.send(outgoing);
            return new Outcome(message, "sent", null, null, Instant.now(clock));
        } catch (DeliveryException e) {
            return e.retryable() && message.attempts() < config.maxAttempts() ? retry(message, e.getMessage(), now)
                    : new Outcome(message, "failed", e.getMessage(), null, now);
        }
    }

    private Outcome retry(MessageRow message, String reason, Instant now) {
        return new Outcome(message, "queued", truncate(reason), now.plus(backoff(config.retryBackoff(), message.attempts())), now);
    }

    private Map<String, Object> values(MessageRow message, Contact contact, Map<String, Object> lastOrder, String unsubscribe) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("lastOrder", lastOrder);
        customer.put("firstName", contact.firstName() == null ? "" : contact.firstName());
        customer.put("lastName", contact.lastName() == null ? "" : contact.lastName());
        customer.put("locale", contact.locale() == null ? "" : contact.locale());
        Map<String, Object> data;
        try {
            data = mapper.readValue(message.data(), MAP);
        } catch (JsonProcessingException e) {
            data = Map.of();
        }
        Map<String, Object> linkValues = new LinkedHashMap<>();
        linkValues.put("unsubscribe", unsubscribe == null ? "" : unsubscribe);
        return Map.of("customer", customer, "data", data, "links", linkValues, "message", Map.of("id", message.id().toString()));
    }

    /** Each customer's latest order ({@code id}, {@code placedAt}) for templates' {@code customer.lastOrder}. */
    private static Uni<Map<UUID, Map<String, Object>>> lastOrders(List<UUID> customers) {
        return NativeSql.list("""
                SELECT DISTINCT ON (customer_id) customer_id, order_id, placed_at FROM customer_order
                WHERE customer_id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x)
                ORDER BY customer_id, placed_at DESC""", Object[].class, Map.of("ids", NativeSql.json(customers)))
                .map(rows -> {
                    Map<UUID, Map<String, Object>> orders = new HashMap<>();
                    rows.forEach(r -> orders.put((UUID) r[0], Map.of("id", r[1], "placedAt", String.valueOf(NativeSql.instant(r[2])))));
                    return orders;
                });
    }

    /** Links in the body become signed click redirects; an e-mail gets the open pixel. The unsubscribe link stays. */
    private String tracked(MessageRow message, String body) {
        String unsubscribe = links.unsubscribe(message.id());
        if ("email".equals(message.channel())) {
            Matcher matcher = HREF.matcher(body);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String url = matcher.group(1).replace("&amp;", "&");
                String replacement = url.equals(unsubscribe) ? matcher.group(0)
                        : "href=\"" + links.click(message.id(), url).replace("&", "&amp;") + "\"";
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            matcher.appendTail(out);
            return out + "<img src=\"" + links.open(message.id()) + "\" width=\"1\" height=\"1\" alt=\"\">";
        }
        Matcher matcher = URL.matcher(body);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String url = matcher.group();
            matcher.appendReplacement(out, Matcher.quoteReplacement(url.equals(unsubscribe) ? url : links.click(message.id(), url)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** When the customer's quiet hours end, if they are in them now. */
    Optional<Instant> quietUntil(Instant now, ZoneId zone) {
        return quietUntil(now, zone, config.quietHours().start(), config.quietHours().end());
    }

    /** Quiet hours from {@code start} to {@code end} local time; they wrap midnight when start is after end. */
    static Optional<Instant> quietUntil(Instant now, ZoneId zone, LocalTime start, LocalTime end) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean wraps = start.isAfter(end);
        boolean quiet = wraps ? !time.isBefore(start) || time.isBefore(end) : !time.isBefore(start) && time.isBefore(end);
        if (!quiet) {
            return Optional.empty();
        }
        LocalDate endDate = wraps && !time.isBefore(start) ? local.toLocalDate().plusDays(1) : local.toLocalDate();
        return Optional.of(ZonedDateTime.of(endDate, end, zone).toInstant());
    }

    private ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone == null || timeZone.isBlank() ? config.quietHours().defaultTimeZone() : timeZone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private void record(List<Outcome> outcomes) throws Throwable {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<OutboxEvent> events = new ArrayList<>();
        for (Outcome o : outcomes) {
            rows.add(NativeSql.params("id", o.message().id(), "status", o.status(), "reason", truncate(o.reason()),
                    "not_before", o.notBefore(), "at", o.at()));
            switch (o.status()) {
                case "sent" -> events.add(o.message().sent(outbox, o.at()));
                case "failed" -> events.add(o.message().failed(outbox, truncate(o.reason()), o.at()));
                case "suppressed" -> events.add(o.message().suppressed(outbox, o.reason(), o.at()));
                default -> {
                }
            }
        }
        // what is not sent (deferred, retried, failed, suppressed) gives its charge back to the budget pool
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> NativeSql.execute("""
                WITH o AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                               AS o(id uuid, status text, reason text, not_before timestamptz, at timestamptz)),
                refund AS (
                    UPDATE budget_pool p SET spent = p.spent - r.total
                    FROM (SELECT m.budget_pool_id AS pool_id, sum(m.cost) AS total FROM message m JOIN o ON o.id = m.id
                          WHERE o.status <> 'sent' AND m.status = 'sending' AND m.cost > 0 AND m.budget_pool_id IS NOT NULL
                          GROUP BY m.budget_pool_id) r
                    WHERE p.id = r.pool_id RETURNING 1)
                UPDATE message m SET status = o.status, reason = o.reason, not_before = coalesce(o.not_before, m.not_before),
                    lease_until = NULL, sent_at = CASE WHEN o.status = 'sent' THEN o.at END,
                    finished_at = CASE WHEN o.status IN ('sent', 'failed', 'suppressed') THEN o.at END,
                    cost = CASE WHEN o.status = 'sent' THEN m.cost ELSE 0 END
                FROM o WHERE m.id = o.id AND m.status = 'sending'""", Map.of("rows", NativeSql.json(rows)))
                .flatMap(x -> outbox.recordAll(events))));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }

    /** The wait before the next attempt: the first backoff, doubled for each attempt after the first. */
    static Duration backoff(Duration first, int attempts) {
        return first.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 16));
    }
}
