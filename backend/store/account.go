package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AccountMismatchError: the key opens another HubSpot account than the one
// whose data the database holds. Nothing was written.
type AccountMismatchError struct {
	Path     string
	Database int64 // the account the file holds
	Key      int64 // the account the key opens
}

func (e *AccountMismatchError) Error() string { return e.UserMessage() }

// UserMessage says it plainly, with both ids, and what to do.
func (e *AccountMismatchError) UserMessage() string {
	return fmt.Sprintf("this key opens HubSpot account %d, but the database %s holds account %d: "+
		"nothing was changed. Use that account's key, or another database for account %d (hubextract accounts lists them)",
		e.Key, e.Path, e.Database, e.Key)
}

// AccountID is the HubSpot account (portal id) whose data the database
// holds: the one a run claimed, else the one its data names (a custom
// object's name p<id>_..., an email event's portalId), for a file written
// before accounts were recorded. 0 when nothing says.
func (db *DB) AccountID(ctx context.Context) (int64, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `SELECT portal_id FROM account_identity LIMIT 1`).Scan(&id)
	switch {
	case err == nil:
		return id, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("read the database's account: %w", err)
	}
	var name string
	err = db.db.QueryRowContext(ctx, `SELECT object_type FROM object_schemas WHERE object_type LIKE 'p%\_%' ESCAPE '\' LIMIT 1`).Scan(&name)
	if err == nil {
		if n, perr := strconv.ParseInt(strings.TrimPrefix(name[:strings.IndexByte(name, '_')], "p"), 10, 64); perr == nil && n > 0 {
			return n, nil
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("read the database's account: %w", err)
	}
	var portal sql.NullInt64
	err = db.db.QueryRowContext(ctx, `SELECT json_extract(raw, '$.portalId') FROM email_events
		WHERE json_valid(raw) AND json_extract(raw, '$.portalId') > 0 LIMIT 1`).Scan(&portal)
	switch {
	case err == nil && portal.Valid:
		return portal.Int64, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("read the database's account: %w", err)
	}
	return 0, nil
}

// ClaimAccount makes sure the database holds HubSpot account portalID's
// data: a file of no account yet becomes that account's; a file of another
// account gives an *AccountMismatchError and is left as it was.
func (db *DB) ClaimAccount(ctx context.Context, portalID int64, now time.Time) error {
	if portalID <= 0 {
		return fmt.Errorf("claim the database's account: no account id")
	}
	held, err := db.AccountID(ctx)
	if err != nil {
		return err
	}
	if held != 0 && held != portalID {
		return &AccountMismatchError{Path: db.Path(), Database: held, Key: portalID}
	}
	if _, err := db.exec(ctx, `INSERT INTO account_identity (portal_id, claimed_at)
		SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM account_identity)`, portalID, now.UnixMilli()); err != nil {
		return classify(fmt.Errorf("claim the database's account: %w", err))
	}
	return nil
}
