package cli

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"time"

	"hubextract/backend/hubspot"
	"hubextract/backend/schedule"
	"hubextract/backend/settings"
)

const scheduleUsage = "hubextract schedule show [--account NAME_OR_ID]\n" +
	"       hubextract schedule set [--account NAME_OR_ID] (--every Nh | --daily HH:MM) [--when-closed] [--base-url URL]\n" +
	"       hubextract schedule remove [--account NAME_OR_ID]\n\n" +
	"An account's scheduled refresh runs the incremental extraction every N hours or daily at a time: in the app\n" +
	"while it is open and, with --when-closed, through a job installed for this user (a systemd user timer, or a\n" +
	"crontab line where there is no systemd user manager, on Linux; a Task Scheduler task on Windows; a launchd\n" +
	"agent on macOS) that runs 'hubextract extract --account ID --scheduled'. Slots missed while the computer was\n" +
	"off run once when it is back. 'remove' turns the schedule off and removes the job."

func init() {
	register(command{
		name:    "schedule",
		summary: "show, set or remove an account's scheduled refresh",
		usage:   scheduleUsage,
		run:     runSchedule,
	})
}

func runSchedule(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || (args[0] != "show" && args[0] != "set" && args[0] != "remove") {
		env.newFlagSet("schedule", scheduleUsage).Usage()
		return exitUsage
	}
	verb, args := args[0], args[1:]
	fs := env.newFlagSet("schedule "+verb, scheduleUsage)
	fs.StringVar(&env.account, "account", "", "the account (`NAME_OR_ID`; default: the current one)")
	every := fs.String("every", "", "set: refresh every `N` hours (6h)")
	daily := fs.String("daily", "", "set: refresh daily at `HH:MM` (local time)")
	whenClosed := fs.Bool("when-closed", false, "set: also while the app is closed, through a job installed for this user")
	baseURL := fs.String("base-url", "", "set: the HubSpot API base `URL` the installed job calls (a test server)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 || (verb != "set" && (*every != "" || *daily != "" || *whenClosed || *baseURL != "")) {
		fs.Usage()
		return exitUsage
	}
	pl, err := env.findPlace("schedule")
	if err == nil && pl.at.Account == nil {
		err = fmt.Errorf("no account: connect one in the app or with 'hubextract accounts add', or name one with --account")
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract schedule: %v\n", err)
		return exitFailure
	}
	acct := *pl.at.Account
	inst, err := schedule.NewInstaller()
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract schedule: %v\n", err)
		return exitFailure
	}
	switch verb {
	case "show":
		showSchedule(ctx, env, inst, acct)
		return exitOK
	case "remove":
		if err := removeJob(ctx, acct); err == nil {
			_, err = pl.paths.SetSchedule(acct.ID, schedule.Spec{Kind: schedule.Off})
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "hubextract schedule remove: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(env.Stdout, "The scheduled refresh of %s is off; no job is left installed.\n", acct.Label())
		return exitOK
	}
	spec, problem := specFromFlags(*every, *daily)
	if problem != "" {
		fmt.Fprintf(env.Stderr, "hubextract schedule set: %s\n", problem)
		return exitUsage
	}
	if *baseURL != "" {
		if err := hubspot.CheckBaseURL(*baseURL, false); err != nil {
			fmt.Fprintf(env.Stderr, "hubextract schedule set: --base-url: %v\n", err)
			return exitUsage
		}
	}
	spec.WhenClosed = *whenClosed
	job, err := refreshJob(acct, spec, *baseURL)
	if err == nil {
		if spec.WhenClosed {
			_, err = inst.Install(ctx, job)
		} else {
			_, err = inst.Remove(ctx, job)
		}
	}
	if err == nil {
		acct, err = pl.paths.SetSchedule(acct.ID, spec)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "hubextract schedule set: %v\n", err)
		return exitFailure
	}
	showSchedule(ctx, env, inst, acct)
	return exitOK
}

// specFromFlags reads --every or --daily; a problem in words when wrong.
func specFromFlags(every, daily string) (schedule.Spec, string) {
	text, flag := "every "+every, "--every"
	switch {
	case (every == "") == (daily == ""):
		return schedule.Spec{}, "give --every Nh or --daily HH:MM"
	case daily != "":
		text, flag = "daily "+daily, "--daily"
	}
	s, err := schedule.Parse(text)
	if err != nil || s.IsOff() {
		return s, fmt.Sprintf("%s: %v", flag, cmp.Or(err, fmt.Errorf("give a schedule, not off")))
	}
	return s, ""
}

func showSchedule(ctx context.Context, env *Env, inst schedule.Installer, acct settings.Account) {
	fmt.Fprintf(env.Stdout, "Scheduled refresh of %s: %s\n", acct.Label(), acct.Schedule)
	if acct.Schedule.IsOff() {
		return
	}
	if r, ok := lastRun(ctx, acct.Database); ok {
		if next, ok := acct.Schedule.Next(r.StartedAt, time.Now()); ok {
			fmt.Fprintf(env.Stdout, "Next refresh: %s\n", next.Local().Format("2006-01-02 15:04"))
		}
	}
	job, err := refreshJob(acct, acct.Schedule, "")
	switch {
	case err != nil:
	case inst.Installed(ctx, job):
		fmt.Fprintf(env.Stdout, "Installed while the app is closed: %s %s\n", inst.Kind(ctx), job.Name)
	case acct.Schedule.WhenClosed:
		fmt.Fprintln(env.Stdout, "The job for when the app is closed is missing: run 'hubextract schedule set' again")
	}
}

// refreshJob is the job that refreshes acct while the app is closed, run by
// this very program.
func refreshJob(acct settings.Account, spec schedule.Spec, baseURL string) (schedule.Job, error) {
	return schedule.RefreshJob(acct.ID, acct.Label(), spec, os.Getenv(settings.EnvConfigDir), baseURL)
}

// removeJob takes acct's job for when the app is closed out of this
// computer's scheduler; none installed is no error.
func removeJob(ctx context.Context, acct settings.Account) error {
	inst, err := schedule.NewInstaller()
	if err != nil {
		return err
	}
	job, err := refreshJob(acct, schedule.Spec{Kind: schedule.Hours, EveryHours: 1}, "")
	if err != nil {
		return err
	}
	_, err = inst.Remove(ctx, job)
	return err
}
