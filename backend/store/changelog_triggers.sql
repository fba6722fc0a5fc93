-- The change log's triggers (migration 0012 made them first): one row per
-- thing a mirror holds that changed, under a seq past every earlier one.
-- KeepChangeLog creates them when a database starts keeping its log
-- (migration 0016): a database keeps its log while it has them.

-- Re-extraction rewrites unchanged records with a new run_id: only a change
-- of what a mirror holds marks one.
CREATE TRIGGER changes_record_insert AFTER INSERT ON records BEGIN
    INSERT INTO changes (kind, a, b) VALUES ('record', new.object_type, new.id)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_record_update AFTER UPDATE ON records
WHEN old.properties IS NOT new.properties OR old.archived IS NOT new.archived
    OR old.archived_at IS NOT new.archived_at OR old.created_at IS NOT new.created_at
    OR old.updated_at IS NOT new.updated_at BEGIN
    INSERT INTO changes (kind, a, b) VALUES ('record', new.object_type, new.id)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_record_delete AFTER DELETE ON records BEGIN
    INSERT INTO changes (kind, a, b) VALUES ('record', old.object_type, old.id)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;

CREATE TRIGGER changes_association_insert AFTER INSERT ON associations BEGIN
    INSERT INTO changes (kind, a, b, c, d)
    VALUES ('association', new.from_type, new.from_id, new.to_type, new.to_id)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_association_update AFTER UPDATE ON associations
WHEN old.types IS NOT new.types BEGIN
    INSERT INTO changes (kind, a, b, c, d)
    VALUES ('association', new.from_type, new.from_id, new.to_type, new.to_id)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_association_delete AFTER DELETE ON associations BEGIN
    INSERT INTO changes (kind, a, b, c, d)
    VALUES ('association', old.from_type, old.from_id, old.to_type, old.to_id)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;

CREATE TRIGGER changes_owner_insert AFTER INSERT ON owners BEGIN
    INSERT INTO changes (kind) VALUES ('owners')
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_owner_update AFTER UPDATE ON owners
WHEN old.email IS NOT new.email OR old.first_name IS NOT new.first_name
    OR old.last_name IS NOT new.last_name OR old.user_id IS NOT new.user_id
    OR old.archived IS NOT new.archived OR old.created_at IS NOT new.created_at
    OR old.updated_at IS NOT new.updated_at BEGIN
    INSERT INTO changes (kind) VALUES ('owners')
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_owner_delete AFTER DELETE ON owners BEGIN
    INSERT INTO changes (kind) VALUES ('owners')
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;

-- Pipelines and properties are replaced whole by every run (delete, then
-- insert): these fire per row, but each only re-marks its type's one row.
CREATE TRIGGER changes_pipeline_insert AFTER INSERT ON pipelines BEGIN
    INSERT INTO changes (kind, a) VALUES ('pipelines', new.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_pipeline_update AFTER UPDATE ON pipelines BEGIN
    INSERT INTO changes (kind, a) VALUES ('pipelines', new.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_pipeline_delete AFTER DELETE ON pipelines BEGIN
    INSERT INTO changes (kind, a) VALUES ('pipelines', old.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_stage_insert AFTER INSERT ON pipeline_stages BEGIN
    INSERT INTO changes (kind, a) VALUES ('pipelines', new.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_stage_update AFTER UPDATE ON pipeline_stages BEGIN
    INSERT INTO changes (kind, a) VALUES ('pipelines', new.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_stage_delete AFTER DELETE ON pipeline_stages BEGIN
    INSERT INTO changes (kind, a) VALUES ('pipelines', old.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;

CREATE TRIGGER changes_property_insert AFTER INSERT ON properties BEGIN
    INSERT INTO changes (kind, a) VALUES ('properties', new.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_property_update AFTER UPDATE ON properties BEGIN
    INSERT INTO changes (kind, a) VALUES ('properties', new.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
CREATE TRIGGER changes_property_delete AFTER DELETE ON properties BEGIN
    INSERT INTO changes (kind, a) VALUES ('properties', old.object_type)
        ON CONFLICT DO UPDATE SET seq = (SELECT max(seq) FROM changes) + 1;
END;
