-- The value tier from segmentation's TierChanged, for the tier cadence rules.
ALTER TABLE audience_customer ADD COLUMN tier TEXT, ADD COLUMN tier_changed_at TIMESTAMPTZ;

-- Segment membership from SegmentEntered / SegmentExited: the audiences campaigns are sent to.
CREATE TABLE segment_member (
    segment_id   UUID        NOT NULL,
    customer_id  UUID        NOT NULL,
    segment_name TEXT        NOT NULL,
    since        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_member_customer ON segment_member (customer_id);

-- One-off broadcasts of a template to a segment: the audience is snapshotted into messages at send time,
-- spaced by the campaign's rate, then delivered through the same safeguards as every other message.
CREATE TABLE campaign (
    id              UUID PRIMARY KEY,
    name            TEXT        NOT NULL,
    template_id     UUID        NOT NULL REFERENCES template (id),
    segment_id      UUID        NOT NULL,
    data            JSONB       NOT NULL DEFAULT '{}',
    status          TEXT        NOT NULL CHECK (status IN ('draft', 'scheduled', 'snapshotting', 'sending', 'paused',
                                                           'completed', 'cancelled')),
    send_at         TIMESTAMPTZ,
    rate_per_minute INTEGER     NOT NULL CHECK (rate_per_minute > 0),
    audience        BIGINT,
    started_at      TIMESTAMPTZ,
    paused_at       TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    version         BIGINT      NOT NULL,
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaign_due ON campaign (send_at) WHERE status = 'scheduled';
CREATE INDEX campaign_sending ON campaign (id) WHERE status = 'sending';

-- a cancelled campaign's messages that were still waiting
ALTER TABLE message DROP CONSTRAINT message_status_check;
ALTER TABLE message ADD CONSTRAINT message_status_check
    CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'suppressed', 'cancelled'));

-- Conversions: an order that follows an open or click of the message within the attribution window.
ALTER TABLE message ADD COLUMN converted_at TIMESTAMPTZ, ADD COLUMN converted_order TEXT,
    ADD COLUMN revenue NUMERIC(19, 4), ADD COLUMN revenue_currency CHAR(3);
-- the latest engaged message of a customer, for attribution
CREATE INDEX message_engaged ON message (customer_id, opened_at DESC) WHERE opened_at IS NOT NULL;
