package hubspot_test

// What the client tests share: the token and clock epoch, a harness that
// records every call and log line, and the fake HubSpot on a shared clock.

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/testkit"
)

// token is recognisable so a leak anywhere is easy to spot.
const token = "pat-na1-00000000-SECRET-TOKEN-0000-4242"

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// recorder is an Observer keeping every CallInfo.
type recorder struct{ testkit.Log[hubspot.CallInfo] }

func (r *recorder) ObserveCall(ci hubspot.CallInfo) { r.Add(ci) }

type harness struct {
	client  *hubspot.Client
	clock   *testkit.Clock
	rec     *recorder
	logs    *testkit.Buffer
	baseURL string
}

func newHarness(baseURL string, opts ...hubspot.Option) *harness {
	return newHarnessOn(testkit.NewClock(epoch), baseURL, opts...)
}

// newHarnessOn builds a client on clk (shared with a fake server) that
// records its calls and logs everything at debug level.
func newHarnessOn(clk *testkit.Clock, baseURL string, opts ...hubspot.Option) *harness {
	return newHarnessAs(token, clk, baseURL, opts...)
}

// newHarnessAs is newHarnessOn with another token (a wrong one, say).
func newHarnessAs(tok string, clk *testkit.Clock, baseURL string, opts ...hubspot.Option) *harness {
	h := &harness{clock: clk, rec: &recorder{}, logs: &testkit.Buffer{}, baseURL: baseURL}
	logger := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts = append([]hubspot.Option{hubspot.WithBaseURL(baseURL), hubspot.WithClock(h.clock), hubspot.WithLogger(logger)}, opts...)
	h.client = hubspot.New(tok, opts...).Session(h.rec, hubspot.RetryPolicy{})
	return h
}

// with makes the harness call through a session of its client with obs
// (nil: none) and retry policy p, as the engine and the connection test do.
func (h *harness) with(obs hubspot.Observer, p hubspot.RetryPolicy) *harness {
	h.client = h.client.Session(obs, p)
	return h
}

// assertNoToken checks every place the token could leak for one error.
func (h *harness) assertNoToken(t *testing.T, err error) {
	t.Helper()
	var texts []string
	if err != nil {
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), hubspot.UserMessage(err))
	}
	texts = append(texts, h.logs.String(), fmt.Sprintf("%+v", h.client), fmt.Sprintf("%#v", h.client))
	for _, ci := range h.rec.All() {
		texts = append(texts, fmt.Sprintf("%+v", ci))
		if ci.Err != nil {
			texts = append(texts, ci.Err.Error())
		}
	}
	for _, s := range texts {
		if strings.Contains(s, token) || strings.Contains(s, "SECRET-TOKEN") {
			t.Fatalf("token leaked: %s", s)
		}
	}
}

func list(ctx context.Context, c *hubspot.Client) (hubspot.ObjectPage, error) {
	return c.ListObjects(ctx, "contacts", hubspot.ListParams{Properties: []string{"email"}})
}

type observerFunc func(hubspot.CallInfo)

func (f observerFunc) ObserveCall(ci hubspot.CallInfo) { f(ci) }

// fakePortal serves a fake HubSpot on a fake clock shared with a client.
func fakePortal(t testing.TB, cfg fakehub.Config, opts ...hubspot.Option) (*fakehub.Server, *harness) {
	t.Helper()
	clk := testkit.NewClock(epoch)
	if cfg.Token == "" {
		cfg.Token = token
	}
	cfg.Clock = clk
	s := fakehub.New(cfg)
	url := testkit.Serve(t, s)
	return s, newHarnessOn(clk, url, opts...)
}

// readAll reads every page through read, a single-page call as the
// extraction engine makes it, from the first page until read returns no next
// cursor. An error, or a next cursor equal to the one just read (which would
// loop), fails the test naming what was read and the page.
func readAll[P any](t testing.TB, what string, read func(cursor string) (page P, next string, err error)) []P {
	t.Helper()
	var out []P
	cursor := ""
	for {
		p, next, err := read(cursor)
		if err != nil {
			t.Fatalf("%s page %d: %v", what, len(out)+1, err)
		}
		out = append(out, p)
		if next == "" {
			return out
		}
		if next == cursor {
			t.Fatalf("%s page %d: HubSpot returned the same cursor %q again", what, len(out)+1, next)
		}
		cursor = next
	}
}

// listAll reads every page of a list with ListObjects from the first page
// on (p.After is ignored).
func listAll(t testing.TB, c *hubspot.Client, objectType string, p hubspot.ListParams) []hubspot.ObjectPage {
	t.Helper()
	what := fmt.Sprintf("list %s archived=%v", objectType, p.Archived)
	return readAll(t, what, func(after string) (hubspot.ObjectPage, string, error) {
		p.After = after
		page, err := c.ListObjects(context.Background(), objectType, p)
		return page, page.Next, err
	})
}

// eventsAll reads every page of email events matching p with
// ListEmailEvents, following the offset while HubSpot says there is more.
func eventsAll(t testing.TB, c *hubspot.Client, p hubspot.EmailEventParams) []hubspot.EmailEventPage {
	t.Helper()
	return readAll(t, "email events", func(offset string) (hubspot.EmailEventPage, string, error) {
		p.Offset = offset
		page, err := c.ListEmailEvents(context.Background(), p)
		switch {
		case err != nil || !page.HasMore:
			return page, "", err
		case page.Offset == "":
			return page, "", fmt.Errorf("HubSpot said there is more but sent no offset")
		}
		return page, page.Offset, nil
	})
}

func objectIDs(pages []hubspot.ObjectPage) []string {
	var ids []string
	for _, p := range pages {
		for _, o := range p.Results {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

func deref(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}
