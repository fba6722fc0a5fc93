package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"hubextract/backend/mirror"
	"hubextract/backend/settings"
)

const syncUsage = "hubextract sync [--db PATH] [--account NAME_OR_ID] [--to postgres://USER:PASSWORD@HOST:5432/DATABASE | --to-env NAME] [--schema NAME]\n\n" +
	"Sends what the database changed since the last sync to a PostgreSQL team database (everything, the\n" +
	"first time): one table per type with typed columns, association tables, owners, pipelines, runs.\n" +
	"Without --to or --to-env, the team database set up in the app's Settings is used. --to-env reads\n" +
	"the URL from an environment variable, so that the password stays off the command line. A sync cut\n" +
	"off keeps what it sent; the next one goes on from there."

func init() {
	register(command{
		name:    "sync",
		summary: "mirror the stored data to a PostgreSQL team database, sending only what changed",
		usage:   syncUsage,
		run:     runSync,
	})
}

func runSync(ctx context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("sync", syncUsage)
	dbPath := env.dbFlag(fs)
	to := fs.String("to", "", "the team database's `URL` (postgres://...)")
	toEnv := fs.String("to-env", "", "read the team database's URL from the environment variable `NAME`")
	schema := fs.String("schema", "", "PostgreSQL `schema` to write to (default: the app's setting, else "+mirror.DefaultSchema+")")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	usage := func(msg string) int {
		fmt.Fprintf(env.Stderr, "hubextract sync: %s\n", msg)
		fs.Usage()
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *to != "" && *toEnv != "":
		return usage("use --to or --to-env, not both")
	}
	failed := func(err error) int {
		if ctx.Err() != nil {
			fmt.Fprintf(env.Stderr, "hubextract sync: interrupted: %v\n", err)
			return exitInterrupted
		}
		fmt.Fprintf(env.Stderr, "hubextract sync: %v\n", err)
		return exitFailure
	}
	pl, err := env.findPlace("sync")
	if err != nil {
		return failed(err)
	}
	url := *to
	if *toEnv != "" {
		if url = os.Getenv(*toEnv); url == "" {
			return usage(fmt.Sprintf("the environment variable %s is not set (it is to hold the team database's URL)", *toEnv))
		}
	}
	if url == "" {
		if url, err = settingsURL(pl); err != nil {
			return failed(err)
		}
	}
	if *schema == "" {
		*schema = pl.cfg.TeamDBSchema
	}
	path, err := pl.database(env, *dbPath)
	if err != nil {
		return failed(err)
	}
	if err := existingDB(path); err != nil {
		return failed(err)
	}
	// Opened to write: a database from before the change sequence gets it
	// (migration 0012); the sync itself only reads.
	db, err := openDB(ctx, path)
	if err != nil {
		return failed(err)
	}
	defer db.Close()
	var last time.Time
	sum, err := mirror.Sync(ctx, db, mirror.Options{URL: url, Schema: *schema, Progress: func(done, total int64) {
		if now := time.Now(); done == total || now.Sub(last) >= time.Second {
			last = now
			fmt.Fprintf(env.Stderr, "sent %s of %s changes\n", fmtInt(done), fmtInt(total))
		}
	}})
	if err != nil {
		return failed(err)
	}
	fmt.Fprintf(env.Stdout, "synced %s changes (%s rows) to %s, schema %s, in %.1f s\n",
		fmtInt(sum.Changes), fmtInt(sum.Rows), sum.Target, sum.Schema, sum.Seconds)
	if sum.Unreadable > 0 {
		fmt.Fprintf(env.Stdout, "%s values did not read as their property's type and were left empty (NULL)\n", fmtInt(sum.Unreadable))
	}
	return exitOK
}

// settingsURL is the account's team database as set up in the app, its
// password from the keychain (beside the account's key).
func settingsURL(pl place) (string, error) {
	team := pl.cfg.Team()
	if team.URL == "" {
		return "", errors.New("no team database: pass --to URL or --to-env NAME, or set one up in the app's Settings")
	}
	password, _, err := settings.TeamDBPasswords(pl.at.Tokens).Load()
	if err != nil {
		return "", err
	}
	return team.WithPassword(password)
}
