package extract

import (
	"context"
	"fmt"
	"slices"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// DefaultSelection is what "everything" means on db: every type but those
// the latest run that tried them found unavailable (the key lacks their
// scope, see store.DB.Unavailable), so that a key without a scope does not
// knock on HubSpot's door for the same type each run. The types left out
// come back apart, in catalog order, each with the scope that would add
// it, for the caller to say so. An explicit selection is not filtered: a
// type chosen by name is tried again, and reading it makes it available.
func DefaultSelection(ctx context.Context, db *store.DB) ([]string, []store.UnavailableType, error) {
	gone, err := db.Unavailable(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("default selection: %w", err)
	}
	var keep []string
	var skipped []store.UnavailableType
	for _, t := range catalog.All() {
		if u, ok := gone[t]; ok {
			skipped = append(skipped, u)
			continue
		}
		keep = append(keep, t)
	}
	if len(keep) == 0 {
		// Every type is unavailable: nothing is left to default to, so
		// every type is tried again rather than a run of nothing.
		return slices.Clone(catalog.All()), nil, nil
	}
	return keep, skipped, nil
}
