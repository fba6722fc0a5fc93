package applog

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
)

// Redacted replaces what is removed.
const Redacted = "[redacted]"

var (
	// A URL's query and fragment (cursors, properties, and any key a caller
	// put there): the scheme, host and path stay, which is what support needs.
	urlQuery = regexp.MustCompile(`(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>?#]*)[?#][^\s"'<>]*`)
	// HubSpot keys: service keys and private app tokens (pat-na1-..., pat-eu1-...).
	hubspotKey = regexp.MustCompile(`\bpat-[A-Za-z0-9]+-[A-Za-z0-9-]{8,}`)
	// An Authorization header's value.
	bearer = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[^\s"',;]+`)
	// key=value and "key": "value" pairs whose name says secret.
	secretPair = regexp.MustCompile(`(?i)\b(hapikey|access_token|refresh_token|client_secret|api_?key|token|password|secret)("?\s*[=:]\s*"?)([^\s"'&,;]+)`)
)

var (
	secretsMu sync.RWMutex
	secrets   []string
)

// AddSecret makes every later log line drop s wherever it appears (the key
// the user saved, a --token): the patterns catch HubSpot's key formats, this
// catches any other. Short strings are ignored: they would eat ordinary text.
func AddSecret(s string) {
	if len(s) < 8 {
		return
	}
	secretsMu.Lock()
	defer secretsMu.Unlock()
	for _, have := range secrets {
		if have == s {
			return
		}
	}
	secrets = append(secrets, s)
}

// Redact removes keys, tokens, secret pairs and URL queries from s.
func Redact(s string) string {
	secretsMu.RLock()
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	secretsMu.RUnlock()
	s = urlQuery.ReplaceAllString(s, "$1?"+Redacted)
	s = hubspotKey.ReplaceAllString(s, Redacted)
	s = bearer.ReplaceAllString(s, "$1$2"+Redacted)
	s = secretPair.ReplaceAllString(s, "$1$2"+Redacted)
	return s
}

// redacting is a slog.Handler that redacts the message and every attribute
// before the next handler formats them.
type redacting struct{ next slog.Handler }

// NewRedacting wraps next so nothing secret reaches it.
func NewRedacting(next slog.Handler) slog.Handler { return redacting{next} }

func (h redacting) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h redacting) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redacting) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a)
	}
	return redacting{h.next.WithAttrs(red)}
}

func (h redacting) WithGroup(name string) slog.Handler { return redacting{h.next.WithGroup(name)} }

// redactAttr redacts a value of any kind: strings, errors and Stringers
// are turned into their redacted text; groups are walked.
func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, ga := range g {
			red[i] = redactAttr(ga)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case nil:
			return slog.Attr{Key: a.Key, Value: v}
		case error:
			return slog.String(a.Key, Redact(x.Error()))
		default:
			return slog.String(a.Key, Redact(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v} // numbers, bools, times, durations
}

// WailsLogger sends Wails' own log lines to slog's default logger (so to the
// file, redacted). It satisfies Wails' logger.Logger by its methods.
type WailsLogger struct{}

func (WailsLogger) Print(m string)   { slog.Info(m, "from", "wails") }
func (WailsLogger) Trace(m string)   { slog.Debug(m, "from", "wails") }
func (WailsLogger) Debug(m string)   { slog.Debug(m, "from", "wails") }
func (WailsLogger) Info(m string)    { slog.Info(m, "from", "wails") }
func (WailsLogger) Warning(m string) { slog.Warn(m, "from", "wails") }
func (WailsLogger) Error(m string)   { slog.Error(m, "from", "wails") }
func (WailsLogger) Fatal(m string)   { slog.Error(m, "from", "wails") }
