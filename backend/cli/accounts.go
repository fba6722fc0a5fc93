package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"hubextract/backend/hubspot"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

const accountsUsage = "hubextract accounts [--json]\n" +
	"       hubextract accounts add (--token-file PATH | --token -) [--base-url URL [--insecure]]\n" +
	"       hubextract accounts use NAME_OR_ID\n" +
	"       hubextract accounts remove NAME_OR_ID [--delete-database]\n\n" +
	"Each connected HubSpot account has its own database, key, settings and run history; the current one\n" +
	"(marked *) is what the app shows and what commands use without --account. 'add' is the app's Connect:\n" +
	"it learns the key's account from HubSpot, keeps the key for it and makes it current. 'remove' forgets\n" +
	"its key and scheduled refresh, and keeps its database unless --delete-database."

func init() {
	register(command{
		name:    "accounts",
		summary: "list, add, switch or remove the connected HubSpot accounts",
		usage:   accountsUsage,
		run:     runAccounts,
	})
}

// accountJSON is one account in `accounts --json`.
type accountJSON struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	Database string     `json:"database"`
	Current  bool       `json:"current"`
	Schedule string     `json:"schedule"`
	LastRun  *time.Time `json:"last_run"`
	Status   string     `json:"last_status"`
}

func runAccounts(ctx context.Context, env *Env, args []string) int {
	verb := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	paths, err := settings.Resolve(os.Getenv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts: %v\n", err)
		return exitFailure
	}
	switch verb {
	case "list":
		return listAccounts(ctx, env, paths, args)
	case "add":
		return addAccount(ctx, env, paths, args)
	case "use", "remove":
		return changeAccount(ctx, env, paths, verb, args)
	}
	fmt.Fprintf(env.Stderr, "hubextract accounts: unknown action %q\n", verb)
	env.newFlagSet("accounts", accountsUsage).Usage()
	return exitUsage
}

func listAccounts(ctx context.Context, env *Env, paths settings.Paths, args []string) int {
	fs := env.newFlagSet("accounts", accountsUsage)
	asJSON := fs.Bool("json", false, "print the accounts as a JSON array")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	accts, err := paths.LoadAccounts()
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts: %v\n", err)
		return exitFailure
	}
	out := make([]accountJSON, 0, len(accts.List))
	for _, a := range accts.List {
		j := accountJSON{ID: a.ID, Name: a.Name, Database: a.Database, Current: a.ID == accts.Current, Schedule: a.Schedule.String()}
		if r, ok := lastRun(ctx, a.Database); ok {
			t := r.StartedAt
			j.LastRun, j.Status = &t, r.Status
		}
		out = append(out, j)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract accounts: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if len(out) == 0 {
		fmt.Fprintln(env.Stdout, "No account connected yet: connect one in the app, or run 'hubextract accounts add --token-file PATH'.")
	} else {
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "\tNAME\tID\tDATABASE\tLAST RUN\tSCHEDULE")
		for _, a := range out {
			mark, last := "", "never"
			if a.Current {
				mark = "*"
			}
			if a.LastRun != nil {
				last = a.LastRun.Local().Format("2006-01-02 15:04") + " " + a.Status
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", mark, a.Name, a.ID, a.Database, last, a.Schedule)
		}
		tw.Flush()
	}
	if _, err := os.Stat(paths.SampleDatabase()); err == nil {
		fmt.Fprintf(env.Stdout, "\nSample data (invented records, not an account): %s\n", paths.SampleDatabase())
	}
	return exitOK
}

// lastRun is the newest run in the database at path, if it has one.
func lastRun(ctx context.Context, path string) (store.Run, bool) {
	if existingDB(path) != nil {
		return store.Run{}, false
	}
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return store.Run{}, false
	}
	defer db.Close()
	r, ok, err := db.LatestRun(ctx)
	return r, ok && err == nil
}

func addAccount(ctx context.Context, env *Env, paths settings.Paths, args []string) int {
	fs := env.newFlagSet("accounts add", accountsUsage)
	tokenFile := fs.String("token-file", "", "read the account's HubSpot service key from the file at `PATH`")
	token := fs.String("token", "", "- reads the key from standard input")
	baseURL := fs.String("base-url", hubspot.DefaultBaseURL, "HubSpot API base `URL`")
	insecure := fs.Bool("insecure", false, "allow a plain http:// --base-url on another computer")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 || (*tokenFile == "") == (*token != "-") {
		fs.Usage()
		return exitUsage
	}
	if err := hubspot.CheckBaseURL(*baseURL, *insecure); err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts add: --base-url: %v\n", err)
		return exitUsage
	}
	key, err := readKey(env.Stdin, *tokenFile)
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts add: %v\n", err)
		return exitUsage
	}
	id, name, err := settings.KeyAccount(ctx, hubspot.New(key, hubspot.WithBaseURL(*baseURL)))
	switch {
	case err != nil:
		fmt.Fprintf(env.Stderr, "hubextract accounts add: %s\n", oneLine(hubspot.Reason(err)))
		return exitFailure
	case id == 0:
		fmt.Fprintf(env.Stderr, "hubextract accounts add: HubSpot does not say which account this key opens: add the %s scope to the key\n",
			hubspot.AccountDetailsScope)
		return exitFailure
	}
	acct, err := paths.AddAccount(id, name)
	if err == nil {
		_, err = paths.AccountTokens(id).Save(key)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts add: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(env.Stdout, "Connected %s; its database is %s. It is the current account.\n", acct.Label(), acct.Database)
	return exitOK
}

// readKey reads a key from a file, or from r for "".
func readKey(r io.Reader, file string) (string, error) {
	var b []byte
	var err error
	if file != "" {
		b, err = os.ReadFile(file)
	} else {
		b, err = io.ReadAll(io.LimitReader(r, maxTokenBytes+1))
	}
	if err != nil {
		return "", fmt.Errorf("read the key: %w", err)
	}
	key := strings.TrimSpace(string(b))
	if key == "" || len(key) > maxTokenBytes {
		return "", errors.New("read the key: this is not a HubSpot key")
	}
	return key, nil
}

func changeAccount(ctx context.Context, env *Env, paths settings.Paths, verb string, args []string) int {
	fs := env.newFlagSet("accounts "+verb, accountsUsage)
	deleteDB := fs.Bool("delete-database", false, "remove: delete the account's database file too")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 || (verb == "use" && *deleteDB) {
		fs.Usage()
		return exitUsage
	}
	accts, err := paths.LoadAccounts()
	var acct settings.Account
	if err == nil {
		acct, err = accts.Find(fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts %s: %v\n", verb, err)
		return exitFailure
	}
	if verb == "use" {
		if err := paths.SwitchAccount(acct.ID); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract accounts use: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(env.Stdout, "%s is the current account.\n", acct.Label())
		return exitOK
	}
	if err := removeJob(ctx, acct); err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts remove: %v\n", err)
		return exitFailure
	}
	if _, err := paths.RemoveAccount(acct.ID); err != nil {
		fmt.Fprintf(env.Stderr, "hubextract accounts remove: %v\n", err)
		return exitFailure
	}
	kept := "its database is kept: " + acct.Database
	if *deleteDB {
		kept = "its database is deleted"
		for _, suffix := range []string{"", "-wal", "-shm", ".lock"} {
			if err := os.Remove(acct.Database + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				fmt.Fprintf(env.Stderr, "hubextract accounts remove: %v\n", err)
				return exitFailure
			}
		}
	}
	fmt.Fprintf(env.Stdout, "Removed %s: its key is forgotten, %s.\n", acct.Label(), kept)
	return exitOK
}
