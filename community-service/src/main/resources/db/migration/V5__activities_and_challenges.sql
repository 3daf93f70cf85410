-- Activities online and offline (salons, expert talks) with capacity, registration, a waitlist served first come
-- first served, and check-in by code or by staff; daily check-ins with streaks; challenges completed once (streaks,
-- attended activities) or once per period (posts in a month or week).
CREATE TABLE activity (
    id                     UUID PRIMARY KEY,
    community_id           UUID REFERENCES community (id),
    title                  TEXT        NOT NULL,
    description            TEXT,
    format                 TEXT        NOT NULL CHECK (format IN ('online', 'offline')),
    kind                   TEXT        NOT NULL CHECK (kind IN ('salon', 'expert-talk', 'workshop', 'other')),
    location               TEXT,
    starts_at              TIMESTAMPTZ NOT NULL,
    ends_at                TIMESTAMPTZ NOT NULL,
    capacity               INTEGER     NOT NULL CHECK (capacity > 0),
    registration_closes_at TIMESTAMPTZ NOT NULL,
    check_in_code          TEXT        NOT NULL,
    status                 TEXT        NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    created_by             TEXT        NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX activity_starts ON activity (starts_at);

CREATE TABLE activity_registration (
    activity_id     UUID        NOT NULL REFERENCES activity (id),
    customer_id     UUID        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled', 'attended')),
    registered_at   TIMESTAMPTZ NOT NULL,
    checked_in_at   TIMESTAMPTZ,
    check_in_method TEXT CHECK (check_in_method IN ('code', 'staff')),
    PRIMARY KEY (activity_id, customer_id)
);
CREATE INDEX activity_registration_customer ON activity_registration (customer_id);
CREATE INDEX activity_waitlist ON activity_registration (activity_id, registered_at) WHERE status = 'waitlisted';

CREATE TABLE daily_check_in (
    customer_id UUID        NOT NULL,
    day         DATE        NOT NULL,
    checked_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, day)
);

CREATE TABLE member_streak (
    customer_id UUID PRIMARY KEY,
    current     INTEGER NOT NULL,
    longest     INTEGER NOT NULL,
    last_day    DATE    NOT NULL
);

CREATE TABLE challenge (
    id           UUID PRIMARY KEY,
    community_id UUID REFERENCES community (id),
    name         TEXT        NOT NULL,
    kind         TEXT        NOT NULL CHECK (kind IN ('daily-check-in-streak', 'posts-in-period', 'activities-attended')),
    target       INTEGER     NOT NULL CHECK (target > 0),
    period       TEXT CHECK (period IN ('week', 'month')),
    starts_at    TIMESTAMPTZ,
    ends_at      TIMESTAMPTZ,
    bonus_points INTEGER     NOT NULL DEFAULT 0 CHECK (bonus_points >= 0),
    active       BOOLEAN     NOT NULL DEFAULT true,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'posts-in-period') = (period IS NOT NULL))
);

CREATE TABLE challenge_completion (
    challenge_id UUID        NOT NULL REFERENCES challenge (id),
    customer_id  UUID        NOT NULL,
    period_key   TEXT        NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL,
    points       INTEGER     NOT NULL,
    PRIMARY KEY (challenge_id, customer_id, period_key)
);
CREATE INDEX challenge_completion_customer ON challenge_completion (customer_id);
