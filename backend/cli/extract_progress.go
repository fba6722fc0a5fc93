package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"hubextract/backend/progress"
)

// progressPrinter renders the engine's progress on stderr: one line that
// updates in place on a terminal; otherwise (a log file, a pipe, a test)
// plain lines, only when a stream changes phase, ends, or every
// plainEvery while it runs, plus every warning and error.
type progressPrinter struct {
	w   io.Writer
	tty bool

	mu        sync.Mutex
	streams   map[string]progress.Event
	printedAt map[string]time.Time
	drawnAt   time.Time
	drawn     bool
}

const (
	plainEvery = 10 * time.Second
	drawEvery  = 100 * time.Millisecond
	lineWidth  = 110
)

func newProgressPrinter(w io.Writer) *progressPrinter {
	return &progressPrinter{w: w, tty: isTerminal(w), streams: map[string]progress.Event{}, printedAt: map[string]time.Time{}}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progressPrinter) Report(e progress.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Kind == progress.KindLog {
		if e.Level == progress.LevelInfo && e.Stream == "" {
			return // the summary follows
		}
		p.clear()
		fmt.Fprintf(p.w, "%s: %s\n", e.Level, e.Message)
		p.draw(true)
		return
	}
	prev, seen := p.streams[e.Stream]
	p.streams[e.Stream] = e
	if p.tty {
		p.draw(e.Final)
		return
	}
	now := time.Now()
	if !seen || e.Final || e.Phase != prev.Phase || now.Sub(p.printedAt[e.Stream]) >= plainEvery {
		p.printedAt[e.Stream] = now
		fmt.Fprintln(p.w, streamLine(e))
	}
}

// close ends the updating line.
func (p *progressPrinter) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

func (p *progressPrinter) clear() {
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// draw rewrites the terminal line (at most every drawEvery unless forced).
func (p *progressPrinter) draw(force bool) {
	if !p.tty || len(p.streams) == 0 || (!force && time.Since(p.drawnAt) < drawEvery) {
		return
	}
	p.drawnAt = time.Now()
	var records, total, calls int64
	var eta time.Duration
	var active []string
	known := true
	for name, e := range p.streams {
		records += e.Records
		calls += e.Calls
		if e.Total < 0 {
			known = false
		} else {
			total += e.Total
		}
		if !e.Final {
			active = append(active, name)
			eta = max(eta, e.ETA)
		}
	}
	slices.Sort(active)
	line := fmt.Sprintf("%s records", fmtInt(records))
	if known && total > 0 {
		line = fmt.Sprintf("%s / %s records (%d%%)", fmtInt(records), fmtInt(total), min(100, records*100/total))
	}
	line += fmt.Sprintf(" · %s calls", fmtInt(calls))
	if eta > 0 {
		line += " · ETA " + fmtDuration(eta.Round(time.Second))
	}
	if len(active) > 0 {
		line += " · " + strings.Join(active, " ")
	}
	if r := []rune(line); len(r) > lineWidth {
		line = string(r[:lineWidth-1]) + "…"
	}
	fmt.Fprint(p.w, "\r\033[K"+line)
	p.drawn = true
}

// streamLine is one plain progress line.
func streamLine(e progress.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, %s", e.Stream, e.Phase, fmtInt(e.Records))
	if e.Total >= 0 {
		fmt.Fprintf(&b, "/%s", fmtInt(e.Total))
	}
	fmt.Fprintf(&b, " records, %s calls", fmtInt(e.Calls))
	if e.Rate > 0 && !e.Final {
		fmt.Fprintf(&b, ", %.0f/s", e.Rate)
	}
	if e.ETA > 0 && !e.Final {
		fmt.Fprintf(&b, ", ETA %s", fmtDuration(e.ETA.Round(time.Second)))
	}
	return b.String()
}
