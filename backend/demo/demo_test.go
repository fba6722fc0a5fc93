package demo

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"hubextract/backend/hubspot"
)

func TestStartServesTheFake(t *testing.T) {
	hub, err := Start(Options{Scale: 7, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Stop()
	if !strings.HasPrefix(hub.URL, "http://127.0.0.1:") {
		t.Errorf("URL %s is not on loopback", hub.URL)
	}
	c := hubspot.New(hub.Token, hubspot.WithBaseURL(hub.URL))
	if _, err := c.AccountDetails(t.Context()); err != nil {
		t.Fatalf("account details: %v", err)
	}
	page, err := c.SearchObjects(t.Context(), "contacts", hubspot.SearchRequest{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 7 {
		t.Errorf("HubSpot's total of contacts = %d, want the scale, 7", page.Total)
	}
	if got := len(hub.Fake.Truth().IDs("contacts", false)); got != 7 {
		t.Errorf("ground truth holds %d contacts, want 7", got)
	}

	wrong := hubspot.New("not-the-token", hubspot.WithBaseURL(hub.URL)).Session(nil, hubspot.RetryPolicy{MaxAttempts: 1})
	_, err = wrong.AccountDetails(t.Context())
	if !errors.As(err, new(*hubspot.AuthError)) {
		t.Errorf("a wrong token gave %v, want an AuthError", err)
	}
}

func TestStopTwice(t *testing.T) {
	hub, err := Start(Options{Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	hub.Stop()
	hub.Stop()
	c := hubspot.New(hub.Token, hubspot.WithBaseURL(hub.URL)).Session(nil, hubspot.RetryPolicy{MaxAttempts: 1})
	if _, err := c.AccountDetails(t.Context()); err == nil {
		t.Error("the stopped hub still answers")
	}
}

func TestStartRejectsZeroScale(t *testing.T) {
	if _, err := Start(Options{}); err == nil {
		t.Error("Start with scale 0 succeeded")
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		scale     int
		latency   time.Duration
		jitter    time.Duration
		realistic bool
		wantErr   string
	}{
		{name: "Defaults", env: nil, scale: 1000, latency: 250 * time.Millisecond, jitter: 100 * time.Millisecond, realistic: true},
		{name: "Even", env: map[string]string{EnvScale: "40", EnvSizes: "even"}, scale: 40, latency: 250 * time.Millisecond, jitter: 100 * time.Millisecond},
		{name: "Realistic", env: map[string]string{EnvSizes: "realistic", EnvLatencyMS: "0"}, scale: 1000, realistic: true},
		{name: "ErrSizes", env: map[string]string{EnvSizes: "huge"}, wantErr: EnvSizes},
		{name: "SmallAndFast", env: map[string]string{EnvScale: "40", EnvLatencyMS: "0"}, scale: 40, realistic: true},
		{name: "SomeLatency", env: map[string]string{EnvLatencyMS: "60"}, scale: 1000, latency: 60 * time.Millisecond, jitter: 30 * time.Millisecond, realistic: true},
		{name: "ErrScale", env: map[string]string{EnvScale: "many"}, wantErr: EnvScale},
		{name: "ErrZeroScale", env: map[string]string{EnvScale: "0"}, wantErr: EnvScale},
		{name: "ErrLatency", env: map[string]string{EnvLatencyMS: "-5"}, wantErr: EnvLatencyMS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := FromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("FromEnv = %v, want an error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Scale != tt.scale || o.Latency != tt.latency || o.Jitter != tt.jitter || o.Realistic != tt.realistic {
				t.Errorf("FromEnv = %+v, want scale %d latency %v jitter %v", o, tt.scale, tt.latency, tt.jitter)
			}
		})
	}
}

// TestSampleLooksLikeARealAccount: the default sample has uneven sizes,
// the same for the same seed.
func TestSampleLooksLikeARealAccount(t *testing.T) {
	o := Defaults().WithLatency(0)
	hub, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Stop()
	tr := hub.Fake.Truth()
	got := map[string]int{}
	for _, typ := range tr.Types() {
		got[typ] = len(tr.IDs(typ, false))
	}
	want := map[string]int{
		"contacts": 1000, "companies": 300, "deals": 400, "tickets": 250,
		"calls": 600, "emails": 2500, "meetings": 200, "notes": 1500, "tasks": 800,
		"products": 20, "line_items": 1000, "quotes": 150, "leads": 333, "communications": 100, "postal_mail": 20,
		hub.Fake.CustomTypeName(): 100, // one custom object, as an Enterprise account has
	}
	if !maps.Equal(got, want) {
		t.Errorf("sample sizes %v, want %v", got, want)
	}
	again, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Stop()
	for _, typ := range []string{"emails", "line_items", "quotes"} {
		if !slices.Equal(again.Fake.Truth().IDs(typ, false), tr.IDs(typ, false)) {
			t.Errorf("%s differ between two samples of seed %d", typ, o.Seed)
		}
		if !slices.Equal(again.Fake.Truth().Pairs(typ, "deals"), tr.Pairs(typ, "deals")) {
			t.Errorf("%s→deals differ between two samples of seed %d", typ, o.Seed)
		}
	}
	// Explicit options without Realistic keep every type at the scale.
	even, err := Start(Options{Scale: 7, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer even.Stop()
	for _, typ := range even.Fake.Truth().Types() {
		if n := len(even.Fake.Truth().IDs(typ, false)); n != 7 {
			t.Errorf("even sample: %d %s, want 7", n, typ)
		}
	}
}
