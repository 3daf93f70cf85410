package io.custops.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.custops.local.infra.Net;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server (GreenMail, with IMAP to read what arrived) and the HTTP providers and profile contact lookup
 * of {@link ProviderStub}, on loopback, once per test JVM. Their addresses are published as system properties for
 * the tests.
 */
public class DeliveryTestInfra implements QuarkusTestResourceLifecycleManager {
    static final String IMAP_PORT = "custops.test.imap-port";
    static final String STUB_URL = "custops.test.provider-stub";

    private static GreenMail mail;
    private static ProviderStub stub;

    @Override
    public synchronized Map<String, String> start() {
        if (mail == null) {
            int smtp = Net.freePort();
            int imap = Net.freePort();
            mail = new GreenMail(new ServerSetup[] { new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                    new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) });
            mail.start();
            try {
                io.custops.local.testing.OidcTestServer.noDelay();
                stub = new ProviderStub();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(IMAP_PORT, String.valueOf(imap));
            System.setProperty(STUB_URL, stub.url());
        }
        String smtpPort = String.valueOf(mail.getSmtp().getPort());
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", smtpPort,
                "custops.delivery.channels.email.token", ProviderStub.PROVIDER_TOKEN,
                "custops.profile-api.url", stub.url(),
                "custops.delivery.channels.sms.endpoint", stub.url() + "/sms",
                "custops.delivery.channels.sms.token", ProviderStub.PROVIDER_TOKEN,
                "custops.delivery.channels.push.endpoint", stub.url() + "/push",
                "custops.delivery.channels.push.token", ProviderStub.PROVIDER_TOKEN,
                "custops.delivery.channels.wechat.endpoint", stub.url() + "/wechat",
                "custops.delivery.channels.wechat.token", ProviderStub.PROVIDER_TOKEN);
    }

    @Override
    public void stop() {
        // kept for the JVM's later application starts
    }
}
