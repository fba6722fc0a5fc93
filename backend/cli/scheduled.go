package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// dueSlack: a scheduled job wakes on the quarter hour, so a refresh due in
// less than this runs now rather than a quarter of an hour late.
const dueSlack = 5 * time.Minute

// extractChecked runs an extraction into db once the key is known to open
// the database's account. With scheduled (extract --scheduled, what the
// installed job runs) it runs only when the account's schedule says a
// refresh is due, is recorded as scheduled, and skips its slot, saying so
// in the run history, when another extraction holds the database.
func extractChecked(ctx context.Context, env *Env, pl place, db *store.DB, scheduled bool, opts extract.Options) int {
	started := time.Now()
	if scheduled {
		if code, due := scheduleDue(ctx, env, pl, db, started); !due {
			return code
		}
		opts.Owner = extract.OwnerScheduled
	}
	opts.CheckAccount = func(ctx context.Context, c *hubspot.Client) error { return checkKeyAccount(ctx, env, pl, db, c) }
	if scheduled {
		if h, running := extract.Running(db.Path()); running {
			msg := (&extract.BusyError{Path: db.Path(), Holder: h}).UserMessage()
			if err := db.RecordSkippedSlot(ctx, started, store.TriggerScheduled, msg); err != nil {
				fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
				return exitFailure
			}
			fmt.Fprintf(env.Stderr, "hubextract extract: scheduled refresh skipped: %s\n", msg)
			return exitOK
		}
	}
	code := extractInto(ctx, env, "extract", db, opts)
	if scheduled {
		if err := markScheduled(context.WithoutCancel(ctx), db, started); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
		}
	}
	return code
}

// scheduleDue says whether the account's scheduled refresh is due; when it
// is not, the reason is on stderr and code is the exit code.
func scheduleDue(ctx context.Context, env *Env, pl place, db *store.DB, now time.Time) (code int, due bool) {
	acct := pl.at.Account
	if acct == nil {
		fmt.Fprintln(env.Stderr, "hubextract extract: --scheduled needs an account: connect one in the app, or name it with --account")
		return exitUsage, false
	}
	if acct.Schedule.IsOff() {
		fmt.Fprintf(env.Stderr, "hubextract extract: %s has no scheduled refresh: nothing to do\n", acct.Label())
		return exitOK, false
	}
	last, _, err := db.LatestRun(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract extract: %v\n", err)
		return exitFailure, false
	}
	if next, _ := acct.Schedule.Next(last.StartedAt, now.Add(dueSlack)); next.After(now.Add(dueSlack)) {
		fmt.Fprintf(env.Stderr, "hubextract extract: the scheduled refresh of %s is not due until %s\n", acct.Label(),
			next.Local().Format("2006-01-02 15:04"))
		return exitOK, false
	}
	return exitOK, true
}

// markScheduled records as scheduled the run this process started at or
// after started: the engine creates runs without knowing what started them.
// The lock kept other runs out meanwhile, so the oldest such run is ours.
func markScheduled(ctx context.Context, db *store.DB, started time.Time) error {
	runs, err := db.Runs(ctx, 10)
	if err != nil {
		return err
	}
	for i := len(runs) - 1; i >= 0; i-- {
		if !runs[i].StartedAt.Before(started.Truncate(time.Millisecond)) {
			return db.SetRunTrigger(ctx, runs[i].ID, store.TriggerScheduled)
		}
	}
	return nil
}

// checkKeyAccount makes sure the key opens the account the database holds
// (the account's own database: that account; any file: the one it
// claimed), with the run's first call, once the run holds the database; a
// file no account has claimed becomes the key's. A folder without accounts
// whose own database this is makes the key's account its first.
func checkKeyAccount(ctx context.Context, env *Env, pl place, db *store.DB, c *hubspot.Client) error {
	id, name, err := settings.KeyAccount(ctx, c)
	if err != nil {
		// A refused key, HubSpot out of reach: the run meets it too, and
		// records it in the history with the words for it.
		return nil
	}
	if id == 0 {
		fmt.Fprintf(env.Stderr, "hubextract extract: warning: HubSpot does not say which account this key opens (it lacks the %s scope), "+
			"so the database's account cannot be checked\n", hubspot.AccountDetailsScope)
		return nil
	}
	if a := pl.at.Account; a != nil && a.ID != id && samePath(a.Database, db.Path()) {
		return fmt.Errorf("this key opens HubSpot account %d, not %s: nothing was changed. "+
			"Use %s's own key, or connect account %d as an account of its own", id, a.Label(), a.Label(), id)
	}
	if err := db.ClaimAccount(ctx, id, time.Now()); err != nil {
		return err
	}
	if pl.at.Account == nil && isFolderDatabase(pl, db.Path()) {
		accts, err := pl.paths.LoadAccounts()
		if err == nil && len(accts.List) == 0 {
			_, err = pl.paths.AddAccount(id, name)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "hubextract extract: warning: %v\n", err)
		}
	}
	return nil
}

// isFolderDatabase reports whether path is the folder's own database (the
// one chosen in Settings, or the default), not a file named for once.
func isFolderDatabase(pl place, path string) bool {
	own := pl.cfg.DatabasePath
	if own == "" {
		own = pl.paths.DefaultDatabase()
	}
	return samePath(own, path) && os.Getenv(settings.EnvDatabase) == ""
}

// samePath reports whether a and b name the same file.
func samePath(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errors.Join(errA, errB) == nil && a == b
}
