-- Delivery receipts posted by providers.
ALTER TABLE message ADD COLUMN delivered_at TIMESTAMPTZ;

-- A journey split's promoted winner: from then on every customer reaching the step takes the winner's branch.
CREATE TABLE journey_winner (
    journey_id  UUID        NOT NULL REFERENCES journey (id),
    step        TEXT        NOT NULL,
    variant     TEXT        NOT NULL,
    promoted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (journey_id, step)
);
