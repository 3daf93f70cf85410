package io.custops.platform.outbox;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;

/** The CloudEvents {@code source} of this service's events: {@code /custops/<application name>}. */
@ApplicationScoped
public class EventSource {
    private final String uri;

    public EventSource(@ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.uri = "/custops/" + applicationName;
    }

    public String uri() {
        return uri;
    }
}
