-- The custom objects' schemas of the account: a type stays known, and its
-- records browsable, after HubSpot no longer lists it (removed = 1).
CREATE TABLE object_schemas (
    object_type      TEXT PRIMARY KEY,  -- HubSpot's fullyQualifiedName
    object_type_id   TEXT NOT NULL DEFAULT '',
    label            TEXT NOT NULL DEFAULT '',
    singular         TEXT NOT NULL DEFAULT '',
    primary_property TEXT NOT NULL DEFAULT '',
    secondary        TEXT NOT NULL DEFAULT '[]',  -- JSON list of property names
    associated       TEXT NOT NULL DEFAULT '[]',  -- JSON list of type names
    removed          INTEGER NOT NULL DEFAULT 0
);
