package io.custops.campaign.tracking;

import java.net.URI;
import java.util.Base64;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The public tracking links (no token: customers click them from their inbox). Each is HMAC-signed; a link whose
 * signature does not match, or whose message was never sent, answers 404 and records nothing.
 */
@Path("/t")
@PermitAll
@Tag(name = "Tracking")
public class TrackingResource {
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final TrackingLinks links;
    private final TrackingService tracking;

    public TrackingResource(TrackingLinks links, TrackingService tracking) {
        this.links = links;
        this.tracking = tracking;
    }

    @GET
    @Path("/o/{message}/{signature}")
    @Produces("image/gif")
    @Operation(summary = "Open pixel", description = "A 1×1 GIF; the first load records the open (MessageOpened).")
    public Uni<Response> open(@PathParam("message") UUID message, @PathParam("signature") String signature) {
        verify(TrackingLinks.OPEN, message, null, signature);
        return Panache.withTransaction(() -> tracking.opened(message))
                .map(x -> Response.ok(PIXEL, "image/gif").header("Cache-Control", "no-store").build());
    }

    @GET
    @Path("/c/{message}/{signature}")
    @Operation(summary = "Click redirect", description = "Records the click (MessageClicked) and redirects (302) to the signed target URL.")
    public Uni<Response> click(@PathParam("message") UUID message, @PathParam("signature") String signature, @QueryParam("u") String url) {
        verify(TrackingLinks.CLICK, message, url, signature);
        return Panache.withTransaction(() -> tracking.clicked(message, url))
                .map(x -> Response.status(Response.Status.FOUND).location(URI.create(url)).header("Cache-Control", "no-store").build());
    }

    @GET
    @Path("/u/{message}/{signature}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Unsubscribe page", description = "Asks for confirmation (a link scanner's GET must not unsubscribe anyone); the form POSTs back.")
    public Response confirm(@PathParam("message") UUID message, @PathParam("signature") String signature) {
        verify(TrackingLinks.UNSUBSCRIBE, message, null, signature);
        return Response.ok(page("Unsubscribe", """
                <p>Stop receiving marketing messages on this channel?</p>
                <form method="post"><button type="submit">Unsubscribe</button></form>""")).build();
    }

    @POST
    @Path("/u/{message}/{signature}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "One-click unsubscribe", description = "RFC 8058 one-click (List-Unsubscribe-Post) and the confirmation form: "
            + "withdraws the customer's marketing consent for the message's channel at once and publishes Unsubscribed.")
    public Uni<Response> unsubscribe(@PathParam("message") UUID message, @PathParam("signature") String signature) {
        verify(TrackingLinks.UNSUBSCRIBE, message, null, signature);
        return Panache.withTransaction(() -> tracking.unsubscribed(message))
                .map(x -> Response.ok(page("Unsubscribed", "<p>You will no longer receive marketing messages on this channel.</p>")).build());
    }

    private void verify(String action, UUID message, String url, String signature) {
        boolean target = TrackingLinks.CLICK.equals(action) ? url != null && (url.startsWith("https://") || url.startsWith("http://"))
                : url == null;
        if (!target || !links.valid(action, message, url, signature)) {
            throw ProblemException.notFound("No such link.");
        }
    }

    private static String page(String title, String content) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>" + content
                + "</body></html>";
    }
}
