-- Resolution looks identifiers up by value across types in one query per batch.
CREATE INDEX profile_identifier_value ON profile_identifier (value);
