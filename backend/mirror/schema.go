package mirror

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"hubextract/backend/store"
)

// mirror is one sync's view of the PostgreSQL schema: which tables and
// columns exist, kept in step with what its transactions add.
type mirror struct {
	conn   *pgx.Conn
	db     *store.DB
	schema string
	sum    *Summary
	// columns per type: property name to its column (loaded from
	// _hubextract_columns, which records them so a name is kept stable).
	columns map[string]map[string]column
	tables  map[string]bool // type tables and association tables made
	defs    map[string]map[string]store.Property
}

// column is one property's column in a type's table.
type column struct {
	name, pgType string
}

// systemColumns start every type's table, before the property columns.
var systemColumns = []column{
	{"id", "text"}, {"created_at", "timestamptz"}, {"updated_at", "timestamptz"},
	{"archived", "boolean"}, {"archived_at", "timestamptz"},
}

// pgType is the column type of a HubSpot property type: what SQL users
// compute with; anything else (string, enumeration, phone_number, json) is
// text, an enumeration's labels in property_options.
func pgType(hubspotType string) string {
	switch hubspotType {
	case "number":
		return "numeric"
	case "datetime":
		return "timestamptz"
	case "date":
		return "date"
	case "bool":
		return "boolean"
	}
	return "text"
}

// ident quotes a name of the mirror's schema.
func (m *mirror) ident(name string) string { return pgx.Identifier{m.schema, name}.Sanitize() }

func (m *mirror) quoted() string { return pgx.Identifier{m.schema}.Sanitize() }

// maxIdent is PostgreSQL's identifier length (NAMEDATALEN-1 bytes); longer
// names are cut by the server, which could make two of them one.
const maxIdent = 63

// safeName is name as an identifier that the server keeps whole: without
// NUL, at most maxIdent bytes (a longer one is cut and made unique with a
// hash of the whole).
func safeName(name string) string {
	name = strings.ReplaceAll(name, "\x00", "")
	if len(name) <= maxIdent {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	cut := maxIdent - 9
	for cut > 0 && !isRuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + "_" + hex.EncodeToString(sum[:4])
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// setupSQL makes the tables every mirror has. The sync state is kept here,
// beside the data, so that it commits with each batch.
const setupSQL = `
CREATE TABLE IF NOT EXISTS %[1]s._hubextract_sync (
	source    text PRIMARY KEY,
	seq       bigint NOT NULL,
	synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS %[1]s._hubextract_columns (
	object_type text NOT NULL,
	property    text NOT NULL,
	column_name text NOT NULL,
	pg_type     text NOT NULL,
	PRIMARY KEY (object_type, property),
	UNIQUE (object_type, column_name)
);
CREATE TABLE IF NOT EXISTS %[1]s.properties (
	object_type text NOT NULL,
	name        text NOT NULL,
	column_name text,
	label       text NOT NULL,
	type        text NOT NULL,
	field_type  text NOT NULL,
	group_name  text NOT NULL,
	sensitivity text NOT NULL,
	hidden      boolean NOT NULL,
	PRIMARY KEY (object_type, name)
);
CREATE TABLE IF NOT EXISTS %[1]s.property_options (
	object_type   text NOT NULL,
	property      text NOT NULL,
	value         text NOT NULL,
	label         text NOT NULL,
	display_order integer NOT NULL,
	hidden        boolean NOT NULL,
	PRIMARY KEY (object_type, property, value)
);
CREATE TABLE IF NOT EXISTS %[1]s.owners (
	id         text PRIMARY KEY,
	email      text NOT NULL,
	first_name text NOT NULL,
	last_name  text NOT NULL,
	user_id    bigint,
	archived   boolean NOT NULL,
	created_at timestamptz,
	updated_at timestamptz
);
CREATE TABLE IF NOT EXISTS %[1]s.pipelines (
	object_type   text NOT NULL,
	id            text NOT NULL,
	label         text NOT NULL,
	display_order integer NOT NULL,
	archived      boolean NOT NULL,
	PRIMARY KEY (object_type, id)
);
CREATE TABLE IF NOT EXISTS %[1]s.pipeline_stages (
	object_type   text NOT NULL,
	pipeline_id   text NOT NULL,
	id            text NOT NULL,
	label         text NOT NULL,
	display_order integer NOT NULL,
	archived      boolean NOT NULL,
	metadata      jsonb NOT NULL,
	PRIMARY KEY (object_type, pipeline_id, id)
);
CREATE TABLE IF NOT EXISTS %[1]s.runs (
	id          bigint PRIMARY KEY,
	started_at  timestamptz,
	finished_at timestamptz,
	status      text NOT NULL,
	mode        text NOT NULL,
	objects     jsonb NOT NULL,
	error       text NOT NULL,
	warnings    jsonb NOT NULL,
	api_calls   bigint NOT NULL,
	retries     bigint NOT NULL
);`

// prepare checks the user's rights, makes the schema and its fixed tables
// (one transaction: all or nothing), takes the schema's sync lock for this
// connection, refuses a schema that mirrors another database and loads the
// column registry and the property definitions.
func (m *mirror) prepare(ctx context.Context, source string) error {
	if err := m.checkRights(ctx); err != nil {
		return err
	}
	// One sync at a time per schema: the lock goes with the connection.
	var locked bool
	if err := m.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext('hubextract:' || $1))`, m.schema).Scan(&locked); err != nil {
		return fmt.Errorf("lock schema %s: %w", m.schema, err)
	}
	if !locked {
		return &Error{Reason: OtherSource, Msg: fmt.Sprintf("another sync is writing to schema %q right now: try again when it is done", m.schema)}
	}
	err := pgx.BeginFunc(ctx, m.conn, func(tx pgx.Tx) error {
		// Only when missing: CREATE SCHEMA IF NOT EXISTS asks for the
		// database's CREATE right even when the schema is there, and a
		// user given a schema of its own may have no more.
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, m.schema).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.Exec(ctx, `CREATE SCHEMA `+m.quoted()); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, fmt.Sprintf(setupSQL, m.quoted()))
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema %s: %w", m.schema, err)
	}
	var other string
	err = m.conn.QueryRow(ctx, fmt.Sprintf(`SELECT source FROM %s WHERE source <> $1 LIMIT 1`,
		m.ident("_hubextract_sync")), source).Scan(&other)
	switch {
	case err == nil:
		return errOtherSource
	case !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("read sync state: %w", err)
	}
	return m.load(ctx)
}

// load reads what the schema holds into the mirror's maps.
func (m *mirror) load(ctx context.Context) error {
	m.columns, m.tables, m.defs = map[string]map[string]column{}, map[string]bool{}, map[string]map[string]store.Property{}
	rows, err := m.conn.Query(ctx, fmt.Sprintf(`SELECT object_type, property, column_name, pg_type FROM %s`,
		m.ident("_hubextract_columns")))
	if err != nil {
		return fmt.Errorf("read columns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ, prop string
		var c column
		if err := rows.Scan(&typ, &prop, &c.name, &c.pgType); err != nil {
			return fmt.Errorf("read columns: %w", err)
		}
		if m.columns[typ] == nil {
			m.columns[typ] = map[string]column{}
		}
		m.columns[typ][prop] = c
	}
	return rows.Err()
}

// forget drops what the maps know after a rolled-back transaction: the
// next batch (there is none in this sync) would reload them.
func (m *mirror) forget() { m.columns, m.tables = nil, nil }

// mark is the seq this source's changes were applied up to (0: none yet).
func (m *mirror) mark(ctx context.Context, source string) (int64, error) {
	var seq int64
	err := m.conn.QueryRow(ctx, fmt.Sprintf(`SELECT seq FROM %s WHERE source = $1`, m.ident("_hubextract_sync")),
		source).Scan(&seq)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("read sync state: %w", err)
	}
	return seq, nil
}

func (m *mirror) setMark(ctx context.Context, tx pgx.Tx, source string, seq int64) error {
	_, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (source, seq) VALUES ($1, $2)
		ON CONFLICT (source) DO UPDATE SET seq = excluded.seq, synced_at = now()`, m.ident("_hubextract_sync")),
		source, seq)
	if err != nil {
		return fmt.Errorf("record sync state: %w", err)
	}
	return nil
}

// definitions are typ's property definitions, read once per sync.
func (m *mirror) definitions(ctx context.Context, typ string) (map[string]store.Property, error) {
	if d, ok := m.defs[typ]; ok {
		return d, nil
	}
	props, err := m.db.Properties(ctx, typ)
	if err != nil {
		return nil, err
	}
	d := make(map[string]store.Property, len(props))
	for _, p := range props {
		d[p.Name] = p
	}
	m.defs[typ] = d
	return d, nil
}

// sensitive: values of properties HubSpot marks sensitive stay out of the
// team database, as they stay out of a CSV unless asked for: a shared
// database travels further than the file on one laptop.
func sensitive(p store.Property) bool {
	return p.Sensitivity != "" && p.Sensitivity != store.NonSensitive
}

// typeTable makes typ's table if this sync has not seen it yet.
func (m *mirror) typeTable(ctx context.Context, tx pgx.Tx, typ string) error {
	if m.tables[typ] {
		return nil
	}
	var cols []string
	for _, c := range systemColumns {
		def := c.name + " " + c.pgType
		switch c.name {
		case "id":
			def += " PRIMARY KEY"
		case "archived":
			def += " NOT NULL DEFAULT false"
		}
		cols = append(cols, def)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (%s)`, m.ident(safeName(typ)),
		strings.Join(cols, ", "))); err != nil {
		return fmt.Errorf("create table %s: %w", typ, err)
	}
	m.tables[typ] = true
	return nil
}

// ensureColumns makes sure typ's table has a column for each of props
// (those defined sensitive left out): a new property gets one of its type
// (text when undefined); a property whose type changed to another has its
// column turned to text, which holds any value. Columns are never dropped.
func (m *mirror) ensureColumns(ctx context.Context, tx pgx.Tx, typ string, props []string) error {
	if err := m.typeTable(ctx, tx, typ); err != nil {
		return err
	}
	defs, err := m.definitions(ctx, typ)
	if err != nil {
		return err
	}
	have := m.columns[typ]
	if have == nil {
		have = map[string]column{}
		m.columns[typ] = have
	}
	for _, p := range props {
		def, defined := defs[p]
		if defined && sensitive(def) {
			continue
		}
		want := "text"
		if defined {
			want = pgType(def.Type)
		}
		c, ok := have[p]
		switch {
		case !ok:
			c = column{name: m.columnName(have, p), pgType: want}
			if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s`,
				m.ident(safeName(typ)), pgx.Identifier{c.name}.Sanitize(), c.pgType)); err != nil {
				return fmt.Errorf("add column %s to %s: %w", p, typ, err)
			}
		case c.pgType != want && c.pgType != "text":
			col := pgx.Identifier{c.name}.Sanitize()
			if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s ALTER COLUMN %s TYPE text USING %s::text`,
				m.ident(safeName(typ)), col, col)); err != nil {
				return fmt.Errorf("turn column %s of %s to text: %w", p, typ, err)
			}
			c.pgType = "text"
		default:
			continue
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (object_type, property, column_name, pg_type)
			VALUES ($1, $2, $3, $4) ON CONFLICT (object_type, property) DO UPDATE SET pg_type = excluded.pg_type`,
			m.ident("_hubextract_columns")), typ, p, c.name, c.pgType); err != nil {
			return fmt.Errorf("record column %s of %s: %w", p, typ, err)
		}
		have[p] = c
	}
	return nil
}

// columnName is property p's column: its own name when the server keeps it
// whole and no other column has it (a system column, or a long name cut to
// the same prefix), else "property_" plus it, cut and hashed as needed.
func (m *mirror) columnName(have map[string]column, p string) string {
	taken := func(name string) bool {
		for _, c := range systemColumns {
			if c.name == name {
				return true
			}
		}
		for _, c := range have {
			if c.name == name {
				return true
			}
		}
		return false
	}
	name := safeName(p)
	for i := 0; taken(name); i++ {
		name = safeName(fmt.Sprintf("property_%d_%s", i, p))
	}
	return name
}

// propertyColumns lists typ's property columns in a fixed order (by
// property name), with the property of each.
func (m *mirror) propertyColumns(typ string) (props []string, cols []column) {
	have := m.columns[typ]
	for p := range have {
		props = append(props, p)
	}
	sortStrings(props)
	for _, p := range props {
		cols = append(cols, have[p])
	}
	return props, cols
}
