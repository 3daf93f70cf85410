package io.custops.campaign.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.campaign.config.DeliveryConfig;

/**
 * The adapter for HTTP providers (SMS gateways, push services, WeChat-style message APIs): one JSON POST per message
 * with the provider credential as a bearer token. 2xx is accepted; 429, 5xx and network failures are retried
 * later; any other answer is a permanent failure.
 */
public class HttpChannelSender implements ChannelSender {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String channel;
    private final URI endpoint;
    private final DeliveryConfig.Channel config;
    private final ObjectMapper mapper;

    public HttpChannelSender(String channel, DeliveryConfig.Channel config, ObjectMapper mapper) {
        this.channel = channel;
        this.endpoint = config.endpoint().orElse(null);
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public void send(OutgoingMessage message) {
        if (endpoint == null) {
            throw new DeliveryException("no provider endpoint configured for " + channel
                    + " (custops.delivery.channels." + channel + ".endpoint)", false, null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", message.messageId());
        body.put("channel", channel);
        body.put("to", message.to());
        if (message.title() != null) {
            body.put("title", message.title());
        }
        body.put("body", message.body());
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(endpoint).timeout(config.timeout()).header("Content-Type", "application/json")
                    .header("Idempotency-Key", message.messageId().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new DeliveryException("message not serialisable", false, e);
        }
        config.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        int status;
        try {
            status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new DeliveryException(channel + " provider unreachable: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(channel + " send interrupted", true, e);
        }
        if (status / 100 != 2) {
            throw new DeliveryException(channel + " provider answered " + status, status == 429 || status >= 500, null);
        }
    }
}
