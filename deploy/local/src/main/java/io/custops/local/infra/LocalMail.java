package io.custops.local.infra;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The local stack's mail server: campaign-service delivers e-mail to it over SMTP, and any mail client reads it over
 * IMAP (login and password: the recipient's address). Nothing leaves the machine.
 */
public final class LocalMail implements AutoCloseable {
    public static final int SMTP_PORT = 2525;
    public static final int IMAP_PORT = 3143;

    private final GreenMail mail;

    private LocalMail(GreenMail mail) {
        this.mail = mail;
    }

    public static LocalMail start() {
        GreenMail mail = new GreenMail(new ServerSetup[] { new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(IMAP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) });
        mail.start();
        return new LocalMail(mail);
    }

    @Override
    public void close() {
        mail.stop();
    }
}
