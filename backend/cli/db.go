package cli

import (
	"errors"
	"fmt"
	"os"

	"hubextract/backend/store"
)

// existingDB resolves the database path (the default one when empty) and
// makes sure a database is there: an export must not create an empty one.
func existingDB(path string) (string, error) {
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return "", fmt.Errorf("locate the default database: %w", err)
		}
		path = p
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("no database at %s: run 'hubextract extract' first, or pass --db PATH", path)
	case err != nil:
		return "", fmt.Errorf("database %s: %w", path, err)
	case st.IsDir():
		return "", fmt.Errorf("database %s is a folder, not a file", path)
	}
	return path, nil
}
