package export

import (
	"context"
	"fmt"
	"io"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// Options selects what an export writes.
type Options struct {
	Type           string // one of catalog.All(); ignored by All
	Labels         bool   // property labels as headers, labels instead of ids and option values
	NoAssociations bool   // leave out the associated_<type> columns
	FormID         string // form_submissions of this form only ("" = all forms)
	BOM            bool   // start with a UTF-8 byte-order mark, for Excel
	// IncludeSensitive writes the properties HubSpot marks sensitive or
	// highly sensitive too. Off, their columns are left out: a CSV travels
	// further than the database (mail, shared drives), so such values
	// leave only when someone asks for them.
	IncludeSensitive bool
	// History writes the property history of a CRM type instead of its
	// records: one row per value a property had (type, id, property,
	// value, timestamp, source). All then writes TYPE_history.csv for each
	// type with history stored.
	History bool
	// Progress, when set, is called on the exporting goroutine before the
	// first row, every 1,000 rows and once at the end, with the rows written
	// so far and the rows expected in all (counted at the start). A UI
	// throttles it further.
	Progress func(done, total int64)
	// Format is FormatCSV ("" too) or FormatParquet (CRM records only).
	Format string
}

// Write exports opts.Type, whichever kind it is, as CSV to w and returns the
// number of data rows written.
func Write(ctx context.Context, db *store.DB, w io.Writer, opts Options) (int64, error) {
	switch {
	case opts.Format == FormatParquet:
		return Parquet(ctx, db, w, opts)
	case opts.History && catalog.IsCRM(opts.Type):
		return history(ctx, db, w, opts)
	case opts.History:
		return 0, fmt.Errorf("export %s: only CRM records have a property history", opts.Type)
	case catalog.IsCRM(opts.Type):
		return Records(ctx, db, w, opts)
	case opts.Type == catalog.Forms:
		return forms(ctx, db, w, opts)
	case opts.Type == catalog.FormSubmissions:
		return formSubmissions(ctx, db, w, opts)
	case opts.Type == catalog.EmailEvents:
		return emailEvents(ctx, db, w, opts)
	}
	return 0, &catalog.UnknownTypeError{Name: opts.Type}
}

// count is how many rows an export of opts.Type will write.
func count(ctx context.Context, db *store.DB, opts Options) (int64, error) {
	switch {
	case opts.Format == FormatParquet && !catalog.IsCRM(opts.Type):
		return 0, nil // written as CSV only
	case opts.History && catalog.IsCRM(opts.Type):
		return db.CountHistory(ctx, opts.Type)
	case opts.History:
		return 0, nil
	case catalog.IsCRM(opts.Type):
		return db.CountExportRows(ctx, opts.Type)
	case opts.Type == catalog.Forms:
		fs, err := db.Forms(ctx)
		return int64(len(fs)), err
	case opts.Type == catalog.FormSubmissions:
		return db.CountFormSubmissions(ctx, opts.FormID)
	case opts.Type == catalog.EmailEvents:
		return db.CountEmailEvents(ctx)
	}
	return 0, &catalog.UnknownTypeError{Name: opts.Type}
}
