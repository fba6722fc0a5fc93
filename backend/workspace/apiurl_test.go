package workspace

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hubextract/backend/demo"
	"hubextract/backend/fakehub"
	"hubextract/backend/testkit"
)

// TestHubSpotURLOverride: the hidden HUBEXTRACT_HUBSPOT_URL may point the
// app at a server on this computer, or at https; plain http to another
// computer (the key in clear text) or an address that is not a web address
// is refused with an error naming the variable, nothing sent and nothing
// saved; a permanent failure (https to a plain-http port) says so at once.
func TestHubSpotURLOverride(t *testing.T) {
	fake := testkit.Serve(t, fakehub.New(fakehub.Config{Token: "pat-good", Scale: 5}))
	tests := []struct {
		name, url string
		ok        bool
		says      string
	}{
		{name: "Loopback", url: fake, ok: true, says: "Connected"},
		{name: "PlainHTTPElsewhere", url: "http://192.0.2.1:8080", says: "HUBEXTRACT_HUBSPOT_URL=http://192.0.2.1:8080 is refused: plain http to another computer, which would send the HubSpot key in clear text"},
		{name: "NotAWebAddress", url: "api.hubapi.com", says: `HUBEXTRACT_HUBSPOT_URL cannot be used: the HubSpot address "api.hubapi.com" is not a web address`},
		{name: "HTTPSToPlainPort", url: "https://" + strings.TrimPrefix(fake, "http://"), says: "answers in plain HTTP, not HTTPS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := open(t, demo.Options{Scale: 5}, tt.url)
			start := time.Now()
			c, err := w.Connection.Test(" pat-good\n")
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("answered after %s, want under 2 s", took)
			}
			if err != nil || c.OK != tt.ok || !strings.Contains(c.Message, tt.says) {
				t.Fatalf("Test = %+v, %v; want ok %v and %q", c, err, tt.ok, tt.says)
			}
			if st, _ := w.Status(); st.Token.Saved != tt.ok {
				t.Errorf("key saved: %v, want %v", st.Token.Saved, tt.ok)
			}
			if tt.ok {
				return
			}
			// A key saved before (another address, an older version) is
			// not sent there either.
			if _, err := w.tokens.Save("pat-good"); err != nil {
				t.Fatal(err)
			}
			_, err = w.current()
			if tt.name == "PlainHTTPElsewhere" && !errors.Is(err, ErrInsecureURL) {
				t.Errorf("current() = %v, want ErrInsecureURL", err)
			}
			if tt.name == "NotAWebAddress" && (err == nil || !strings.Contains(err.Error(), "not a web address")) {
				t.Errorf("current() = %v, want the address refused", err)
			}
		})
	}
}
