-- 0006: HubSpot marks some property definitions sensitive or highly
-- sensitive (and lists them only to a key with the matching scopes). The
-- level is kept with each definition so that exports can leave those values
-- out unless asked and the record browser can mark them. Definitions stored
-- before this were all listed without dataSensitivity, so non_sensitive is
-- what they are.
ALTER TABLE properties ADD COLUMN data_sensitivity TEXT NOT NULL DEFAULT 'non_sensitive';
