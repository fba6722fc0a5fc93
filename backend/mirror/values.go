package mirror

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"hubextract/backend/export"
)

// value turns a HubSpot property value (text, as HubSpot sends it) into
// what COPY writes to a column of pgType: nil for no value, an empty text
// for a typed column, or one that does not read as its type (ok false: it
// is counted, never guessed at).
func value(pgType string, v *string) (out any, ok bool) {
	if v == nil {
		return nil, true
	}
	s := *v
	if pgType == "text" {
		return s, true
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	switch pgType {
	case "numeric":
		var n pgtype.Numeric
		if err := n.ScanScientific(s); err != nil {
			return nil, false
		}
		return n, true
	case "timestamptz":
		t, ok := export.ParseTime(s)
		if !ok {
			return nil, false
		}
		return t, true
	case "date":
		t, ok := export.ParseTime(s)
		if !ok {
			return nil, false
		}
		return pgtype.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), Valid: true}, true
	case "boolean":
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, false
		}
		return b, true
	}
	return s, true
}

// moment is a stored time as a column value: NULL when unknown.
func moment(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func sortStrings(s []string) { slices.Sort(s) }
