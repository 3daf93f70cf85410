package io.custops.campaign.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * E-mail over SMTP (quarkus-mailer, {@code quarkus.mailer.*}). Marketing mail carries RFC 8058 one-click
 * unsubscribe headers, so mail clients offer the unsubscribe button themselves.
 */
@ApplicationScoped
public class EmailSender implements ChannelSender {
    private final Mailer mailer;

    public EmailSender(Mailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public void send(OutgoingMessage message) {
        Mail mail = Mail.withHtml(message.to(), message.title(), message.body())
                .addHeader("X-CustOps-Message-Id", message.messageId().toString());
        if (message.unsubscribeUrl() != null) {
            mail.addHeader("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">")
                    .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        try {
            mailer.send(mail);
        } catch (RuntimeException e) {
            throw new DeliveryException("SMTP: " + e.getMessage(), true, e);
        }
    }
}
