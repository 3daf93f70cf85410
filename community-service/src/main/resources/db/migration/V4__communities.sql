-- Communities of three kinds with members (who join and leave, or are invited and removed by managers), leaders
-- chosen from high-value customers with a grade, weekly topics, posts with comments and likes, and moderation.
CREATE TABLE community (
    id          UUID PRIMARY KEY,
    name        TEXT        NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('product-interest', 'industry-knowledge', 'lifestyle')),
    description TEXT,
    visibility  TEXT        NOT NULL CHECK (visibility IN ('open', 'invite-only')),
    archived    BOOLEAN     NOT NULL DEFAULT false,
    version     INTEGER     NOT NULL DEFAULT 1,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX community_name ON community (lower(name)) WHERE NOT archived;

CREATE TABLE community_member (
    community_id UUID        NOT NULL REFERENCES community (id),
    customer_id  UUID        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('invited', 'active', 'left', 'removed', 'banned')),
    role         TEXT        NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'leader')),
    leader_grade INTEGER CHECK (leader_grade BETWEEN 1 AND 3),
    invited_by   TEXT,
    joined_at    TIMESTAMPTZ,
    changed_at   TIMESTAMPTZ NOT NULL,
    reason       TEXT,
    PRIMARY KEY (community_id, customer_id)
);
CREATE INDEX community_member_customer ON community_member (customer_id);
CREATE INDEX community_member_active ON community_member (community_id) WHERE status = 'active';

-- What segmentation says of a customer's value (TierChanged): leaders are chosen from high-value customers.
CREATE TABLE customer_value (
    customer_id UUID PRIMARY KEY,
    tier        TEXT,
    value_score NUMERIC(8, 4),
    changed_at  TIMESTAMPTZ NOT NULL
);

-- Weekly topics (and expert sessions) scheduled ahead; a topic is current from publishes_at for its week.
CREATE TABLE topic (
    id           UUID PRIMARY KEY,
    community_id UUID        NOT NULL REFERENCES community (id),
    title        TEXT        NOT NULL,
    body         TEXT,
    kind         TEXT        NOT NULL CHECK (kind IN ('weekly', 'expert')),
    publishes_at TIMESTAMPTZ NOT NULL,
    closes_at    TIMESTAMPTZ NOT NULL,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK (closes_at > publishes_at)
);
CREATE INDEX topic_community ON topic (community_id, publishes_at DESC);

CREATE TABLE post (
    id            UUID PRIMARY KEY,
    community_id  UUID        NOT NULL REFERENCES community (id),
    topic_id      UUID REFERENCES topic (id),
    author_id     UUID        NOT NULL,
    body          TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('visible', 'hidden', 'erased')),
    like_count    INTEGER     NOT NULL DEFAULT 0,
    comment_count INTEGER     NOT NULL DEFAULT 0,
    hidden_reason TEXT,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_community ON post (community_id, created_at DESC, id DESC);
CREATE INDEX post_author ON post (author_id, created_at DESC);

CREATE TABLE post_comment (
    id            UUID PRIMARY KEY,
    post_id       UUID        NOT NULL REFERENCES post (id),
    author_id     UUID        NOT NULL,
    body          TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('visible', 'hidden', 'erased')),
    hidden_reason TEXT,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_comment_post ON post_comment (post_id, created_at, id);
CREATE INDEX post_comment_author ON post_comment (author_id);

CREATE TABLE post_like (
    post_id     UUID        NOT NULL REFERENCES post (id),
    customer_id UUID        NOT NULL,
    liked_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, customer_id)
);
CREATE INDEX post_like_customer ON post_like (customer_id);

CREATE TABLE content_report (
    id          UUID PRIMARY KEY,
    target_type TEXT        NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   UUID        NOT NULL,
    community_id UUID       NOT NULL REFERENCES community (id),
    reporter_id UUID        NOT NULL,
    reason      TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('open', 'upheld', 'dismissed')),
    created_at  TIMESTAMPTZ NOT NULL,
    resolved_by TEXT,
    resolved_at TIMESTAMPTZ,
    UNIQUE (target_type, target_id, reporter_id)
);
CREATE INDEX content_report_open ON content_report (community_id, created_at) WHERE status = 'open';
