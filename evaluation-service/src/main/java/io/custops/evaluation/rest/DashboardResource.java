package io.custops.evaluation.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The KPI dashboard's entry points. The page itself is static (META-INF/resources/dashboard) and holds no data: it
 * signs the user in with Keycloak (Authorization Code + PKCE) and reads the role-checked /api endpoints with that
 * token. So the page and its sign-in settings are public; nothing here reveals more than the issuer's URL.
 */
@Path("/dashboard")
@Tag(name = "Dashboard")
@PermitAll
public class DashboardResource {
    private static final String INDEX = "META-INF/resources/dashboard/index.html";
    private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

    private final String issuer;
    private final String clientId;

    public DashboardResource(Config config) {
        // the browser's view of Keycloak may differ from the services' (an in-cluster URL): custops.dashboard.issuer overrides
        this.issuer = config.getOptionalValue("custops.dashboard.issuer", String.class)
                .orElseGet(() -> config.getValue("quarkus.oidc.auth-server-url", String.class)).replaceAll("/+$", "");
        this.clientId = config.getOptionalValue("custops.dashboard.client-id", String.class).orElse("custops-console");
    }

    public record SignIn(String issuer, String clientId) {
    }

    /**
     * {@code /dashboard} redirects to {@code /dashboard/} so the page's relative URLs resolve; {@code /dashboard/}
     * (should the REST layer take it rather than the static files) is the page. The redirect is relative: behind the
     * gateway this service's own host and port are not the browser's.
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@Context HttpServerRequest request) {
        if (!request.path().endsWith("/")) {
            String query = request.query();
            return Response.status(Response.Status.FOUND).header(HttpHeaders.LOCATION, "/dashboard/" + (query == null ? "" : "?" + query))
                    .build();
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                return Response.status(Response.Status.NOT_FOUND).build();
            }
            return Response.ok(in.readAllBytes(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).cacheControl(NO_STORE).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Headers for everything under /dashboard, static files included: revalidate rather than the static handler's
     * day-long immutable caching (an upgraded page must not run yesterday's script), no MIME sniffing, no framing.
     */
    @ApplicationScoped
    public static class Headers {
        void install(@Observes Router router) {
            router.route("/dashboard/*").order(-100).handler(ctx -> {
                ctx.addHeadersEndHandler(v -> {
                    MultiMap headers = ctx.response().headers();
                    String cache = headers.get(HttpHeaders.CACHE_CONTROL);
                    if (cache == null || !cache.contains("no-store")) {
                        headers.set(HttpHeaders.CACHE_CONTROL, "no-cache");
                    }
                    headers.set("X-Content-Type-Options", "nosniff");
                    headers.set("Content-Security-Policy", "frame-ancestors 'none'");
                });
                ctx.next();
            });
        }
    }

    @GET
    @Path("/config.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The dashboard's sign-in settings", description = "The OIDC issuer and the public client the page signs in with.")
    public Response config() {
        return Response.ok(new SignIn(issuer, clientId)).cacheControl(NO_STORE).build();
    }
}
