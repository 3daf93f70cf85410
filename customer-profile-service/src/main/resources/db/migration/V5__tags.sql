-- Manual tags, organised in tag groups (interest, purchase behaviour, lifecycle, value, ...).
CREATE TABLE tag_group (
    name        TEXT PRIMARY KEY,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE tag (
    group_name  TEXT        NOT NULL REFERENCES tag_group (name) ON DELETE CASCADE,
    name        TEXT        NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_name, name)
);

CREATE TABLE profile_tag (
    customer_id UUID        NOT NULL REFERENCES profile (id) ON DELETE CASCADE,
    group_name  TEXT        NOT NULL,
    tag         TEXT        NOT NULL,
    tagged_at   TIMESTAMPTZ NOT NULL,
    tagged_by   TEXT        NOT NULL,
    PRIMARY KEY (customer_id, group_name, tag),
    FOREIGN KEY (group_name, tag) REFERENCES tag (group_name, name) ON DELETE CASCADE
);
CREATE INDEX profile_tag_tag ON profile_tag (group_name, tag);
