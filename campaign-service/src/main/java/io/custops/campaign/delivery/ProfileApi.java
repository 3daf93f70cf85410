package io.custops.campaign.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The profile service's API as campaign-service uses it, with a client-credentials token of the realm's service
 * client: contact points for sends ({@code POST /api/profiles/contacts}, a batch per call; addresses are never
 * stored: events carry no PII and campaign-service keeps none) and the tags journeys set. Blocking: it is called
 * from the delivery and journey worker threads.
 */
@ApplicationScoped
public class ProfileApi {
    private static final int MAX_BATCH = 1000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OidcClient oidc;
    private final ObjectMapper mapper;
    private final URI endpoint;
    private final URI profiles;
    private Tokens tokens;

    public ProfileApi(OidcClient oidc, ObjectMapper mapper, @ConfigProperty(name = "custops.profile-api.url") URI profileApi) {
        this.oidc = oidc;
        this.mapper = mapper;
        this.endpoint = profileApi.resolve("/api/profiles/contacts");
        this.profiles = profileApi.resolve("/api/profiles/");
    }

    private record Answer(List<Contact> contacts, List<UUID> unknown) {
    }

    /** The contacts of the customers the profile service knows; unknown (erased, merged away) ids are absent. */
    public Map<UUID, Contact> lookup(Collection<UUID> customerIds) {
        Map<UUID, Contact> found = new HashMap<>();
        List<UUID> ids = customerIds.stream().distinct().toList();
        for (int from = 0; from < ids.size(); from += MAX_BATCH) {
            List<UUID> slice = ids.subList(from, Math.min(ids.size(), from + MAX_BATCH));
            for (Contact contact : call(slice).contacts()) {
                found.put(contact.customerId(), contact);
            }
        }
        return found;
    }

    /** Adds (or removes) one tag of a customer; an unknown customer or tag is a permanent {@link IllegalArgumentException}. */
    public void tag(UUID customer, String group, String tag, boolean remove) {
        HttpResponse<String> response = post(profiles.resolve(customer + "/tags"),
                Map.of(remove ? "remove" : "add", List.of(Map.of("group", group, "tag", tag))), "tagging");
        if (response.statusCode() == 400 || response.statusCode() == 404) {
            throw new IllegalArgumentException("the profile service refused the tag " + group + "/" + tag + ": " + response.statusCode());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("tagging answered " + response.statusCode());
        }
    }

    private Answer call(List<UUID> ids) {
        HttpResponse<String> response = post(endpoint, Map.of("customerIds", ids), "contact lookup");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("contact lookup answered " + response.statusCode());
        }
        try {
            return mapper.readValue(response.body(), Answer.class);
        } catch (IOException e) {
            throw new IllegalStateException("contact lookup answered unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** POSTs JSON with the service token; a 401 drops the token so the next call fetches a fresh one. */
    private HttpResponse<String> post(URI uri, Object body, String what) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token())
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                forgetToken();
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private synchronized String token() {
        if (tokens == null || tokens.isAccessTokenExpired() || tokens.isAccessTokenWithinRefreshInterval()) {
            tokens = oidc.getTokens().await().atMost(Duration.ofSeconds(10));
        }
        return tokens.getAccessToken();
    }

    private synchronized void forgetToken() {
        tokens = null;
    }
}
