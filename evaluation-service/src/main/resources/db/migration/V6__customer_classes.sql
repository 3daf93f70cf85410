-- Customer classes: customers with the same groups (tier, segments, communities) share a class. The rollups add up
-- facts per class and period first and only then spread the sums over the class's groups, so the group expansion
-- multiplies a few thousand class rows instead of every fact. A change to customer_dimension marks the customer (the
-- statement triggers below); each rollup run first moves the marked customers to the class of their new groups.
CREATE TABLE customer_class (
    class_id  SERIAL PRIMARY KEY,
    signature TEXT NOT NULL UNIQUE
);
CREATE TABLE customer_class_group (
    class_id  INTEGER NOT NULL REFERENCES customer_class (class_id),
    dim       TEXT    NOT NULL,
    dim_value TEXT    NOT NULL,
    PRIMARY KEY (class_id, dim, dim_value)
);
-- customers without a row here are in no group (class 0, which has no groups)
CREATE TABLE customer_class_member (
    customer_id UUID    PRIMARY KEY,
    class_id    INTEGER NOT NULL REFERENCES customer_class (class_id)
);
CREATE TABLE customer_class_dirty (
    customer_id UUID PRIMARY KEY
);

CREATE FUNCTION customer_dimension_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO customer_class_dirty (customer_id) SELECT DISTINCT customer_id FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO customer_class_dirty (customer_id) SELECT DISTINCT customer_id FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_dimension_inserted AFTER INSERT ON customer_dimension REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_dimension_changed();
CREATE TRIGGER customer_dimension_updated AFTER UPDATE ON customer_dimension REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_dimension_changed();
CREATE TRIGGER customer_dimension_deleted AFTER DELETE ON customer_dimension REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_dimension_changed();

INSERT INTO customer_class_dirty (customer_id) SELECT DISTINCT customer_id FROM customer_dimension;
