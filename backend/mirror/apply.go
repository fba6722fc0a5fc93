package mirror

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"hubextract/backend/store"
)

// recordBatch is one type's records of a batch: those to write, and the ids
// of those deleted from the store.
type recordBatch struct {
	upserts []*store.Record
	deletes []string
}

// pair is an association as the mirror keys it: its two types in name
// order, and its ids in the same order (for a pair of one type, the lower
// id first), so that a pair stored from both sides is one row.
type pair struct {
	typeA, idA, typeB, idB string
}

func newPair(c store.Change) pair {
	p := pair{c.Type, c.ID, c.ToType, c.ToID}
	if p.typeA > p.typeB || (p.typeA == p.typeB && compareIDs(p.idA, p.idB) > 0) {
		p = pair{p.typeB, p.idB, p.typeA, p.idA}
	}
	return p
}

// compareIDs orders HubSpot's decimal ids numerically (shorter first).
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(a, b)
}

// apply writes one batch of changes in tx: definitions first (they make
// the columns), then the small sets, the records, the associations.
func (m *mirror) apply(ctx context.Context, tx pgx.Tx, changes []store.Change) error {
	records := map[string]*recordBatch{}
	links := map[pair]*store.Change{}
	owners := false
	pipelines, properties := map[string]bool{}, map[string]bool{}
	for i := range changes {
		c := &changes[i]
		switch c.Kind {
		case store.ChangeRecord:
			b := records[c.Type]
			if b == nil {
				b = &recordBatch{}
				records[c.Type] = b
			}
			if c.Record != nil {
				b.upserts = append(b.upserts, c.Record)
			} else {
				b.deletes = append(b.deletes, c.ID)
			}
		case store.ChangeAssociation:
			// Both sides of a pair carry the same state: the last one wins.
			links[newPair(*c)] = c
		case store.ChangeOwners:
			owners = true
		case store.ChangePipelines:
			pipelines[c.Type] = true
		case store.ChangeProperties:
			properties[c.Type] = true
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(properties)) {
		if err := m.sendProperties(ctx, tx, typ); err != nil {
			return err
		}
	}
	if owners {
		if err := m.sendOwners(ctx, tx); err != nil {
			return err
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(pipelines)) {
		if err := m.sendPipelines(ctx, tx, typ); err != nil {
			return err
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(records)) {
		if err := m.sendRecords(ctx, tx, typ, records[typ]); err != nil {
			return err
		}
	}
	return m.sendAssociations(ctx, tx, links)
}

// write puts n rows into table, whose first len(keys) columns are its key
// (keys holds their values, a slice per column): by COPY straight into it
// when none of the keys is there yet (a first sync: the fastest way in),
// else staged and upserted, replacing the rows of the same key.
func (m *mirror) write(ctx context.Context, tx pgx.Tx, table string, cols []string, keys [][]string, n int, row func(int) ([]any, error)) error {
	q := fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %s WHERE %s = ANY($1))`, m.ident(table), pgx.Identifier{cols[0]}.Sanitize())
	args := []any{keys[0]}
	if len(keys) == 2 {
		q = fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %s t JOIN unnest($1::text[], $2::text[]) AS k (a, b)
			ON t.%s = k.a AND t.%s = k.b)`, m.ident(table), pgx.Identifier{cols[0]}.Sanitize(), pgx.Identifier{cols[1]}.Sanitize())
		args = append(args, keys[1])
	}
	var some bool
	if err := tx.QueryRow(ctx, q, args...).Scan(&some); err != nil {
		return fmt.Errorf("look up %s: %w", table, err)
	}
	if !some {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{m.schema, table}, cols, pgx.CopyFromSlice(n, row)); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	}
	stage, err := m.stage(ctx, tx, table, cols, n, row)
	if err != nil {
		return err
	}
	return m.upsert(ctx, tx, table, stage, cols, cols[:len(keys)])
}

// stage makes a temporary table shaped like table (gone at commit) and
// copies rows into it, so that one INSERT ... ON CONFLICT can upsert them.
func (m *mirror) stage(ctx context.Context, tx pgx.Tx, table string, cols []string, n int, row func(int) ([]any, error)) (string, error) {
	name := safeName("hx_stage_" + table)
	stage := pgx.Identifier{name}.Sanitize()
	if _, err := tx.Exec(ctx, fmt.Sprintf(`DROP TABLE IF EXISTS pg_temp.%s;
		CREATE TEMP TABLE %s (LIKE %s) ON COMMIT DROP`, stage, stage, m.ident(table))); err != nil {
		return "", fmt.Errorf("stage %s: %w", table, err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{name}, cols, pgx.CopyFromSlice(n, row)); err != nil {
		return "", fmt.Errorf("copy into %s: %w", table, err)
	}
	return stage, nil
}

// sendRecords upserts a type's changed records and deletes the deleted.
func (m *mirror) sendRecords(ctx context.Context, tx pgx.Tx, typ string, b *recordBatch) error {
	keys := map[string]bool{}
	for _, r := range b.upserts {
		for k := range r.Properties {
			keys[k] = true
		}
	}
	if err := m.ensureColumns(ctx, tx, typ, slices.Sorted(maps.Keys(keys))); err != nil {
		return err
	}
	table := safeName(typ)
	if len(b.upserts) > 0 {
		props, cols := m.propertyColumns(typ)
		names := make([]string, 0, len(systemColumns)+len(cols))
		for _, c := range systemColumns {
			names = append(names, c.name)
		}
		for _, c := range cols {
			names = append(names, c.name)
		}
		// A property marked sensitive after its column was made keeps the
		// column, but no more values.
		hidden := make([]bool, len(props))
		for j, p := range props {
			hidden[j] = sensitive(m.defs[typ][p])
		}
		row := make([]any, len(names))
		ids := make([]string, len(b.upserts))
		for i, r := range b.upserts {
			ids[i] = r.ID
		}
		err := m.write(ctx, tx, table, names, [][]string{ids}, len(b.upserts), func(i int) ([]any, error) {
			r := b.upserts[i]
			row[0], row[1], row[2], row[3], row[4] = r.ID, moment(r.CreatedAt), moment(r.UpdatedAt), r.Archived, moment(r.ArchivedAt)
			for j, p := range props {
				if hidden[j] {
					row[len(systemColumns)+j] = nil
					continue
				}
				v, ok := value(cols[j].pgType, r.Properties[p])
				if !ok {
					m.sum.Unreadable++
				}
				row[len(systemColumns)+j] = v
			}
			return row, nil
		})
		if err != nil {
			return fmt.Errorf("send %s: %w", typ, err)
		}
		m.sum.Rows += int64(len(b.upserts))
	}
	if len(b.deletes) > 0 {
		tag, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE id = ANY($1)`, m.ident(table)), b.deletes)
		if err != nil {
			return fmt.Errorf("delete %s: %w", typ, err)
		}
		m.sum.Rows += tag.RowsAffected()
	}
	return nil
}

// upsert moves the staged rows into table, replacing the rows of the same
// key.
func (m *mirror) upsert(ctx context.Context, tx pgx.Tx, table, stage string, cols, key []string) error {
	quoted := make([]string, len(cols))
	var set []string
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
		if !slices.Contains(key, c) {
			set = append(set, quoted[i]+" = excluded."+quoted[i])
		}
	}
	keys := make([]string, len(key))
	for i, k := range key {
		keys[i] = pgx.Identifier{k}.Sanitize()
	}
	onConflict := "DO NOTHING"
	if len(set) > 0 {
		onConflict = "DO UPDATE SET " + strings.Join(set, ", ")
	}
	list := strings.Join(quoted, ", ")
	_, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s ON CONFLICT (%s) %s`,
		m.ident(table), list, list, stage, strings.Join(keys, ", "), onConflict))
	return err
}

// assocTable is the table of associations between typeA and typeB (in name
// order), made with an index on its second column the first time; it
// returns the table and its two id columns.
func (m *mirror) assocTable(ctx context.Context, tx pgx.Tx, typeA, typeB string) (table, colA, colB string, err error) {
	table = safeName("associations_" + typeA + "_" + typeB)
	colA, colB = safeName(typeA+"_id"), safeName(typeB+"_id")
	if typeA == typeB {
		colB = safeName("other_" + typeB + "_id")
	}
	if m.tables[table] {
		return table, colA, colB, nil
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, m.ident(table)).Scan(&exists); err != nil {
		return "", "", "", fmt.Errorf("look for %s: %w", table, err)
	}
	if !exists {
		a, b := pgx.Identifier{colA}.Sanitize(), pgx.Identifier{colB}.Sanitize()
		if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE %[1]s (%[2]s text NOT NULL, %[3]s text NOT NULL,
			types jsonb NOT NULL, PRIMARY KEY (%[2]s, %[3]s)); CREATE INDEX ON %[1]s (%[3]s)`,
			m.ident(table), a, b)); err != nil {
			return "", "", "", fmt.Errorf("create %s: %w", table, err)
		}
	}
	m.tables[table] = true
	return table, colA, colB, nil
}

// sendAssociations upserts the pairs still stored (from either side) and
// deletes the others, per table.
func (m *mirror) sendAssociations(ctx context.Context, tx pgx.Tx, links map[pair]*store.Change) error {
	type tableBatch struct {
		upserts          []pair
		types            [][]byte
		deleteA, deleteB []string
		typeA, typeB     string
	}
	tables := map[[2]string]*tableBatch{}
	for _, p := range slices.SortedFunc(maps.Keys(links), func(a, b pair) int {
		return cmp.Or(strings.Compare(a.typeA, b.typeA), strings.Compare(a.typeB, b.typeB),
			compareIDs(a.idA, b.idA), compareIDs(a.idB, b.idB))
	}) {
		k := [2]string{p.typeA, p.typeB}
		t := tables[k]
		if t == nil {
			t = &tableBatch{typeA: p.typeA, typeB: p.typeB}
			tables[k] = t
		}
		c := links[p]
		if !c.Linked {
			t.deleteA, t.deleteB = append(t.deleteA, p.idA), append(t.deleteB, p.idB)
			continue
		}
		types, err := json.Marshal(c.Types)
		if err != nil {
			return err
		}
		t.upserts, t.types = append(t.upserts, p), append(t.types, types)
	}
	for _, k := range slices.SortedFunc(maps.Keys(tables), func(a, b [2]string) int {
		return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1]))
	}) {
		t := tables[k]
		table, colA, colB, err := m.assocTable(ctx, tx, t.typeA, t.typeB)
		if err != nil {
			return err
		}
		if len(t.upserts) > 0 {
			cols := []string{colA, colB, "types"}
			as, bs := make([]string, len(t.upserts)), make([]string, len(t.upserts))
			for i, p := range t.upserts {
				as[i], bs[i] = p.idA, p.idB
			}
			err := m.write(ctx, tx, table, cols, [][]string{as, bs}, len(t.upserts), func(i int) ([]any, error) {
				return []any{as[i], bs[i], string(t.types[i])}, nil
			})
			if err != nil {
				return fmt.Errorf("send %s: %w", table, err)
			}
			m.sum.Rows += int64(len(t.upserts))
		}
		if len(t.deleteA) > 0 {
			tag, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE (%s, %s) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
				m.ident(table), pgx.Identifier{colA}.Sanitize(), pgx.Identifier{colB}.Sanitize()), t.deleteA, t.deleteB)
			if err != nil {
				return fmt.Errorf("delete from %s: %w", table, err)
			}
			m.sum.Rows += tag.RowsAffected()
		}
	}
	return nil
}
