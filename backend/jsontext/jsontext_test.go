package jsontext

import (
	"encoding/json"
	"testing"
)

func TestAppendString(t *testing.T) {
	for _, tt := range []struct {
		in      string
		hubspot string // HubSpot's escaping; Go's is json.Marshal's
	}{
		{"", `""`},
		{"plain José 東京 🎉", `"plain José 東京 🎉"`},
		{`<b>"q" & \</b>`, `"<b>\"q\" & \\</b>"`},
		{"tab\tnl\ncr\rbs\bff\fnul\x00us\x1f", `"tab\tnl\ncr\rbs\u0008ff\u000cnul\u0000us\u001f"`},
		{"bad\xffutf8\xc3", `"bad\ufffdutf8\ufffd"`},
		{"line\u2028para\u2029", "\"line\u2028para\u2029\""},
	} {
		if got := string(AppendString(nil, tt.in, HubSpot)); got != tt.hubspot {
			t.Errorf("HubSpot %q = %s, want %s", tt.in, got, tt.hubspot)
		}
		want, err := json.Marshal(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString([]byte("x"), tt.in, Go); string(got) != "x"+string(want) {
			t.Errorf("Go %q = %s, want x%s", tt.in, got, want)
		}
	}
}
