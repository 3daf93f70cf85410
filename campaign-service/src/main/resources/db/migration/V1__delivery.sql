-- What campaign-service knows of a customer from the profile events. No PII: contact addresses are looked up
-- from the profile API at send time and never stored here.
CREATE TABLE audience_customer (
    customer_id        UUID PRIMARY KEY,
    locale             TEXT,
    region             TEXT,
    birthday_month_day TEXT,
    registered_at      TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- Retired ids: a merged id's late events and sends follow its survivor; an erased customer is never messaged.
CREATE TABLE retired_customer (
    customer_id UUID PRIMARY KEY,
    survivor_id UUID,
    reason      TEXT        NOT NULL CHECK (reason IN ('merged', 'erased')),
    retired_at  TIMESTAMPTZ NOT NULL
);

-- The consent in force per channel and purpose, from ConsentChanged and our own unsubscribe links; the latest
-- change wins, so events delivered out of order cannot revive a withdrawn consent. No row means no consent.
CREATE TABLE consent (
    customer_id UUID        NOT NULL,
    channel     TEXT        NOT NULL,
    purpose     TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('granted', 'withdrawn')),
    source      TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, channel, purpose)
);

-- Message templates: per channel, one content per locale (Qute source text, data never code).
CREATE TABLE template (
    id             UUID PRIMARY KEY,
    name           TEXT        NOT NULL,
    channel        TEXT        NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'wechat')),
    category       TEXT        NOT NULL CHECK (category IN ('marketing', 'transactional')),
    default_locale TEXT        NOT NULL,
    contents       JSONB       NOT NULL,
    archived       BOOLEAN     NOT NULL DEFAULT false,
    version        BIGINT      NOT NULL,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX template_name ON template (lower(name)) WHERE NOT archived;

-- Every message to a customer, from queueing to its outcome: sent, failed, or suppressed with the reason. A
-- message is due from not_before; a worker holds it while sending (status 'sending' until lease_until).
CREATE TABLE message (
    id           UUID PRIMARY KEY,
    customer_id  UUID        NOT NULL,
    channel      TEXT        NOT NULL,
    category     TEXT        NOT NULL,
    template_id  UUID        NOT NULL REFERENCES template (id),
    campaign_id  UUID,
    dedupe_key   TEXT        NOT NULL,
    data         JSONB       NOT NULL DEFAULT '{}',
    status       TEXT        NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'suppressed')),
    reason       TEXT,
    not_before   TIMESTAMPTZ NOT NULL,
    attempts     INTEGER     NOT NULL DEFAULT 0,
    lease_until  TIMESTAMPTZ,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    opened_at    TIMESTAMPTZ,
    clicked_at   TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ
);
-- the same message (customer and dedupe key) is queued or sent at most once; a suppressed one may be retried
CREATE UNIQUE INDEX message_once ON message (customer_id, dedupe_key) WHERE status <> 'suppressed';
CREATE INDEX message_due ON message (not_before) WHERE status IN ('queued', 'sending');
-- frequency caps count a customer's recent sends per channel
CREATE INDEX message_recent ON message (customer_id, channel, sent_at) WHERE status IN ('sent', 'sending');
CREATE INDEX message_customer ON message (customer_id, created_at DESC, id);
CREATE INDEX message_campaign ON message (campaign_id, status) WHERE campaign_id IS NOT NULL;
