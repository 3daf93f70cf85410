package io.custops.profile.rest;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.audit.AuditLog;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.ContactDtos.Contact;
import io.custops.profile.rest.dto.ContactDtos.ContactRequest;
import io.custops.profile.rest.dto.ContactDtos.ContactResponse;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/profiles/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Profiles")
@SecurityRequirement(name = "SecurityScheme")
public class ContactResource {
    public static final String CONTACT_READ = "contact.read";

    private final AuditLog audit;
    private final Caller caller;

    public ContactResource(AuditLog audit, Caller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(summary = "Look up the contact points of up to 1000 customers", description = """
            For services that message customers (campaign-service at send time): the unmasked e-mail address, phone, \
            device id (push), WeChat openid, name, locale and time zone of each customer, in one call per batch of \
            sends. Addresses never travel in events; every lookup is audited per customer (action contact.read). \
            Consent is not checked here: the caller applies it.""")
    public Uni<ContactResponse> lookup(@Valid @NotNull ContactRequest request) {
        List<UUID> ids = request.customerIds().stream().distinct().toList();
        return Panache.withSession(() -> NativeSql.list("""
                SELECT p.id, min(i.value) FILTER (WHERE i.type = 'EMAIL'), min(i.value) FILTER (WHERE i.type = 'PHONE'),
                       min(i.value) FILTER (WHERE i.type = 'DEVICE_ID'), min(i.value) FILTER (WHERE i.type = 'WECHAT_OPENID'),
                       p.first_name, p.last_name, p.locale, p.time_zone
                FROM profile p LEFT JOIN profile_identifier i ON i.customer_id = p.id
                WHERE p.id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x)
                GROUP BY p.id ORDER BY p.id""", Object[].class, NativeSql.params("ids", NativeSql.json(ids))))
                .map(rows -> rows.stream().map(r -> new Contact((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                        (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8])).toList())
                .call(contacts -> audit.recordAll(caller.name(), CONTACT_READ, contacts.stream().map(Contact::customerId).toList()))
                .map(contacts -> {
                    Set<UUID> found = contacts.stream().map(Contact::customerId).collect(Collectors.toSet());
                    return new ContactResponse(contacts, ids.stream().filter(id -> !found.contains(id)).toList());
                });
    }
}
