// Package schedule owns scheduled refresh: the schedule model (off, every N
// hours, daily at a time; one per account), when a refresh is next due
// (missed slots collapse into one run), the in-app loop that runs it on a
// clock and postpones it while the app is busy, and the user-level jobs that
// run it while the app is closed (a systemd user timer or a crontab line on
// Linux, a Task Scheduler task on Windows, a launchd agent on macOS). It
// knows time only through backend/clock, so tests run days in microseconds;
// it must not import the store, the extractor or Wails: its callers say what
// the last run was and what a run is.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of schedule.
const (
	Off   = "off"
	Hours = "hours" // every N hours
	Daily = "daily" // daily at HH:MM, local time
)

// Limits of a schedule.
const (
	MinHours = 1
	MaxHours = 168 // a week
)

// Spec is one account's schedule. The zero Spec is off.
type Spec struct {
	Kind string `json:"kind"` // Off ("" too), Hours or Daily
	// EveryHours is N for Hours.
	EveryHours int `json:"every_hours,omitempty"`
	// At is "HH:MM" (24-hour, local time) for Daily.
	At string `json:"at,omitempty"`
	// WhenClosed: a user-level job runs it while the app is closed too.
	WhenClosed bool `json:"when_closed,omitempty"`
}

// IsOff reports whether nothing is scheduled.
func (s Spec) IsOff() bool { return s.Kind == "" || s.Kind == Off }

// Validate says in words what is wrong with s; nil when nothing is.
func (s Spec) Validate() error {
	switch s.Kind {
	case "", Off:
		return nil
	case Hours:
		if s.EveryHours < MinHours || s.EveryHours > MaxHours {
			return fmt.Errorf("a refresh every N hours needs N from %d to %d, not %d", MinHours, MaxHours, s.EveryHours)
		}
		return nil
	case Daily:
		if _, _, err := clockTime(s.At); err != nil {
			return err
		}
		return nil
	}
	return fmt.Errorf("unknown schedule %q: off, hours or daily", s.Kind)
}

// clockTime reads "HH:MM".
func clockTime(at string) (h, m int, err error) {
	hs, ms, ok := strings.Cut(at, ":")
	if ok {
		h, err = strconv.Atoi(hs)
	}
	if ok && err == nil {
		m, err = strconv.Atoi(ms)
	}
	if !ok || err != nil || len(ms) != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, fmt.Errorf("a daily time is HH:MM from 00:00 to 23:59, not %q", at)
	}
	return h, m, nil
}

// String says the schedule in words.
func (s Spec) String() string {
	var out string
	switch s.Kind {
	case Hours:
		out = fmt.Sprintf("every %d hours", s.EveryHours)
		if s.EveryHours == 1 {
			out = "every hour"
		}
	case Daily:
		out = "daily at " + s.At
	default:
		return "off"
	}
	if s.WhenClosed {
		out += ", also when the app is closed"
	}
	return out
}

// Parse reads a schedule as the command line takes it: "off", "6h" or
// "every 6h" (every 6 hours), "daily 07:30" or "07:30".
func Parse(text string) (Spec, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.TrimSpace(strings.TrimPrefix(t, "every"))
	var s Spec
	switch {
	case t == "" || t == Off:
		return Spec{Kind: Off}, nil
	case strings.HasSuffix(t, "h"):
		n, err := strconv.Atoi(strings.TrimSuffix(t, "h"))
		if err != nil {
			return Spec{}, fmt.Errorf("schedule %q: say off, every N hours as 6h, or a daily time as 07:30", text)
		}
		s = Spec{Kind: Hours, EveryHours: n}
	default:
		s = Spec{Kind: Daily, At: strings.TrimSpace(strings.TrimPrefix(t, "daily"))}
	}
	if err := s.Validate(); err != nil {
		return Spec{}, fmt.Errorf("schedule %q: %w", text, err)
	}
	return s, nil
}

// Next is when the next refresh is due, given when the last run started
// (zero: never) and the time now. A slot already past is due now: however
// many slots were missed (the computer slept), one run makes up for them.
func (s Spec) Next(last, now time.Time) (time.Time, bool) {
	var next time.Time
	switch s.Kind {
	case Hours:
		if last.IsZero() {
			return now, true
		}
		next = last.Add(time.Duration(s.EveryHours) * time.Hour)
	case Daily:
		h, m, err := clockTime(s.At)
		if err != nil {
			return time.Time{}, false
		}
		slot := time.Date(now.Year(), now.Month(), now.Day(), h, m, 0, 0, now.Location())
		if slot.After(now) {
			slot = slot.AddDate(0, 0, -1) // the latest slot at or before now
		}
		if last.Before(slot) {
			return now, true // that slot has not run yet
		}
		next = slot.AddDate(0, 0, 1)
	default:
		return time.Time{}, false
	}
	if next.Before(now) {
		return now, true
	}
	return next, true
}
