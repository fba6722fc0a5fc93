package hubspot_test

// Failures that asking again cannot heal: each is answered at once, after
// one attempt, with its real cause in words instead of "check the internet
// connection".

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hubextract/backend/hubspot"
)

func TestPermanentTransportFailures(t *testing.T) {
	var plainCalls, tlsCalls atomic.Int64
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainCalls.Add(1)
		fmt.Fprint(w, `{"portalId":1}`)
	}))
	defer plain.Close()
	untrusted := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tlsCalls.Add(1)
		fmt.Fprint(w, `{"portalId":1}`)
	}))
	defer untrusted.Close()
	plainAsHTTPS := "https://" + strings.TrimPrefix(plain.URL, "http://")

	tests := []struct {
		name, base, token string
		says              string
	}{
		{name: "KeyWithLineBreakInside", base: plain.URL, token: "pat-na1-abc\ndef", says: "contains a line break"},
		{name: "KeyWithControlCharacter", base: plain.URL, token: "pat-na1-abc\x01def", says: "cannot be sent"},
		{name: "AddressWithoutScheme", base: "api.hubapi.com", token: "k", says: `"api.hubapi.com" is not a web address`},
		{name: "AddressWithOtherScheme", base: "ftp://api.hubapi.com", token: "k", says: "is not a web address"},
		{name: "AddressWithoutHost", base: "https://", token: "k", says: "is not a web address"},
		{name: "HTTPSToPlainPort", base: plainAsHTTPS, token: "k", says: "answers in plain HTTP, not HTTPS"},
		{name: "UntrustedCertificate", base: untrusted.URL, token: "k", says: "certificate this computer does not trust (signed by an unknown authority)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := hubspot.New(tt.token, hubspot.WithBaseURL(tt.base))
			start := time.Now()
			_, err := c.AccountDetails(t.Context())
			took := time.Since(start)
			var te *hubspot.TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v (%T), want a *TransportError", err, err)
			}
			msg := hubspot.UserMessage(err)
			if !strings.Contains(msg, tt.says) || strings.Contains(msg, "internet connection") {
				t.Errorf("message %q, want it to say %q and not blame the connection", msg, tt.says)
			}
			if c.Retries() != 0 || te.Attempts != 1 {
				t.Errorf("%d retries, %d attempts: a permanent failure is not asked again", c.Retries(), te.Attempts)
			}
			if took > 2*time.Second {
				t.Errorf("answered after %s, want under 2 s", took)
			}
			if strings.Contains(err.Error(), "abc") {
				t.Errorf("the error shows the key: %v", err)
			}
		})
	}
	if n := plainCalls.Load() + tlsCalls.Load(); n != 0 {
		t.Errorf("the servers answered %d requests, want none", n)
	}
}

// A key that arrives with a line break around it (pasted, read from a
// file) is sent without it.
func TestKeyIsTrimmed(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization"))
		fmt.Fprint(w, `{"portalId":1}`)
	}))
	defer srv.Close()
	c := hubspot.New(" \tpat-na1-key\r\n", hubspot.WithBaseURL(srv.URL))
	if _, err := c.AccountDetails(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got.Load() != "Bearer pat-na1-key" {
		t.Errorf("Authorization %q, want the key without the spaces around it", got.Load())
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		raw      string
		insecure bool
		says     string // "" for accepted
	}{
		{raw: "https://api.hubapi.com"},
		{raw: "https://api.hubapi.com/"},
		{raw: "https://proxy.example:8443/hubspot"},
		{raw: "http://127.0.0.1:8080"},
		{raw: "http://localhost:8080"},
		{raw: "http://[::1]:8080"},
		{raw: "http://127.0.0.2:8080"},
		{raw: "http://10.0.0.5:8080", says: "clear text"},
		{raw: "http://api.hubapi.com", says: "clear text"},
		{raw: "http://localhost.example.com", says: "clear text"},
		{raw: "http://10.0.0.5:8080", insecure: true},
		{raw: "api.hubapi.com", says: "not a web address"},
		{raw: "ftp://api.hubapi.com", says: "not a web address"},
		{raw: "https://", says: "not a web address"},
		{raw: "", says: "not a web address"},
		{raw: "https://api.hubapi.com/%zz", says: "not a web address"},
		{raw: "https://api.hubapi.com?x=1", says: "no user, query or fragment"},
		{raw: "https://user:pw@api.hubapi.com", says: "no user, query or fragment"},
		{raw: "http:127.0.0.1:80", says: "not a web address"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s insecure=%v", tt.raw, tt.insecure), func(t *testing.T) {
			err := hubspot.CheckBaseURL(tt.raw, tt.insecure)
			switch {
			case tt.says == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says)):
				t.Errorf("err = %v, want one saying %q", err, tt.says)
			}
		})
	}
}

func TestAnswerWords(t *testing.T) {
	cut := &hubspot.TransportError{APIError: &hubspot.APIError{Status: 200}}
	notJSON := &hubspot.ServerError{APIError: &hubspot.APIError{Status: 200, Message: "the response body is not valid JSON"}}
	tests := []struct {
		ci   hubspot.CallInfo
		want string
	}{
		{hubspot.CallInfo{Status: 200, Err: cut}, "HubSpot's answer was cut off"},
		{hubspot.CallInfo{Status: 200, Err: notJSON}, "HubSpot's answer was not valid JSON"},
		{hubspot.CallInfo{Status: 429}, "HubSpot asked us to slow down"},
		{hubspot.CallInfo{Status: 502}, "HubSpot had a server problem (502)"},
		{hubspot.CallInfo{Status: 423}, "HubSpot answered 423"},
		{hubspot.CallInfo{Err: &hubspot.TransportError{APIError: &hubspot.APIError{}}}, "no answer from HubSpot (network)"},
	}
	for _, tt := range tests {
		if got := hubspot.Answer(tt.ci); got != tt.want {
			t.Errorf("Answer(%d, %v) = %q, want %q", tt.ci.Status, tt.ci.Err, got, tt.want)
		}
	}
}

// TestMisconfiguredClientFailsAtOnce: once a job's own key or address has
// failed for good, every later call of that job (its session) fails at
// once with the same cause, putting nothing on the wire and waiting on no
// limiter; the next job (a new session) tries again.
func TestMisconfiguredClientFailsAtOnce(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, `{"portalId":1}`)
	}))
	defer srv.Close()
	// One call per 10 s: a second call that waited on the limiter would take seconds.
	c := hubspot.New("k", hubspot.WithBaseURL("https://"+strings.TrimPrefix(srv.URL, "http://")), hubspot.WithRateLimit(1))
	job := c.Session(nil, hubspot.RetryPolicy{})
	if _, err := job.AccountDetails(t.Context()); err == nil {
		t.Fatal("HTTPS to a plain port succeeded")
	}
	wire := c.Calls()
	start := time.Now()
	for range 5 {
		_, err := job.AccountDetails(t.Context())
		if msg := hubspot.UserMessage(err); !strings.Contains(msg, "answers in plain HTTP, not HTTPS") {
			t.Fatalf("later call: %q", msg)
		}
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("5 later calls took %s, want them at once", took)
	}
	if c.Calls() != wire || calls.Load() != 0 {
		t.Errorf("%d calls on the wire after the first, want none", c.Calls()-wire)
	}
	// Another client at the default rate: its second job tries again.
	c2 := hubspot.New("k", hubspot.WithBaseURL("https://"+strings.TrimPrefix(srv.URL, "http://")))
	for i := range 2 {
		if _, err := c2.Session(nil, hubspot.RetryPolicy{}).AccountDetails(t.Context()); err == nil {
			t.Fatal("HTTPS to a plain port succeeded")
		}
		if c2.Calls() != int64(i+1) {
			t.Errorf("job %d: %d calls in all, want %d: each job tries once", i+1, c2.Calls(), i+1)
		}
	}
}
