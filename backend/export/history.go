package export

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"hubextract/backend/store"
)

// historyHeader is the property history file's columns: the record, the
// property, the value it had and since when, and the source of the change.
var historyHeader = []string{"type", "id", "property", "value", "timestamp", "source_type", "source_id", "source_label", "updated_by_user_id"}

// history writes the stored property history of opts.Type: one row per
// value a property had, by record (numeric id), property, oldest first;
// with opts.Labels the value as a label (an option's, an owner's name).
func history(ctx context.Context, db *store.DB, w io.Writer, opts Options) (int64, error) {
	typ := opts.Type
	var labels *Labeler
	if opts.Labels {
		var err error
		if labels, err = NewLabeler(ctx, db, typ); err != nil {
			return 0, fmt.Errorf("export %s history: %w", typ, err)
		}
	}
	total, err := count(ctx, db, opts)
	if err != nil {
		return 0, fmt.Errorf("export %s history: %w", typ, err)
	}
	t, err := newTable(ctx, w, opts, historyHeader, total)
	if err != nil {
		return 0, fmt.Errorf("export %s history: %w", typ, err)
	}
	row := make([]string, len(historyHeader))
	for e, ierr := range db.EachHistory(ctx, typ) {
		if err = ierr; err != nil {
			break
		}
		value := e.Value
		if labels != nil {
			value = labels.Value(e.Property, &e.Value, store.Record{Type: typ, ID: e.ID})
		}
		user := ""
		if e.UpdatedByUserID != 0 {
			user = strconv.FormatInt(e.UpdatedByUserID, 10)
		}
		row[0], row[1], row[2], row[3], row[4] = typ, e.ID, e.Property, value, timestamp(e.Timestamp)
		row[5], row[6], row[7], row[8] = e.SourceType, e.SourceID, e.SourceLabel, user
		if err = t.Row(row); err != nil {
			break
		}
	}
	n, err := t.Close(err)
	if err != nil {
		return n, fmt.Errorf("export %s history: %w", typ, err)
	}
	return n, nil
}
