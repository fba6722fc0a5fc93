package fakehub

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"testing"

	"hubextract/backend/testkit"
)

// legacyTypes are the nine types the fake served before products, line
// items, quotes, leads, communications and postal mail.
var legacyTypes = []string{"contacts", "companies", "deals", "tickets", "calls", "emails", "meetings", "notes", "tasks"}

// truthFingerprint hashes everything a Truth says about types: ids (active
// and archived), every property value and timestamp, property names, and
// the association pairs among them.
func truthFingerprint(tr *Truth, types []string) string {
	h := sha256.New()
	w := func(h io.Writer, format string, args ...any) { fmt.Fprintf(h, format, args...) }
	for _, typ := range types {
		w(h, "type %s props %q\n", typ, tr.Properties(typ))
		for _, archived := range []bool{false, true} {
			for _, id := range tr.IDs(typ, archived) {
				props, c, u, arch, _ := tr.Record(typ, id)
				w(h, "%s %s %d %d %v", typ, id, c.UnixMilli(), u.UnixMilli(), arch)
				for _, p := range tr.Properties(typ) {
					if v := props[p]; v != nil {
						w(h, "|%s=%q", p, *v)
					} else {
						w(h, "|%s=nil", p)
					}
				}
				w(h, "\n")
			}
		}
		for _, to := range types {
			w(h, "pairs %s %s %q\n", typ, to, tr.Pairs(typ, to))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestConfigsWithoutSizesUnchanged: a config without Sizes generates, for
// the nine types served before the new ones, exactly the data it generated
// before (fingerprints computed on the code before the change).
func TestConfigsWithoutSizesUnchanged(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{Seed: 1, Scale: 60}, "f2c34d3a7cb7f5f6c357d08374df085c446e952b8636a6b409134f636e93482b"},
		{Config{Seed: 7, Scale: 230, ExtraProperties: 5}, "9b896f3840e3d2ecabc959e43d46fbb2a43c45bc390fb04d1cb5577d615e9957"},
		{Config{Seed: 42, Scale: 3}, "62845115a1575024a0c29225cd5b36bdcb5013111c6da1f6face28d0307039e2"},
		// Sizes of the new types only leave the nine as they were.
		{Config{Seed: 1, Scale: 60, Sizes: map[string]int{"products": 5, "line_items": 400, "quotes": 0, "postal_mail": 2}},
			"f2c34d3a7cb7f5f6c357d08374df085c446e952b8636a6b409134f636e93482b"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("seed%d_scale%d_sizes%d", c.cfg.Seed, c.cfg.Scale, len(c.cfg.Sizes)), func(t *testing.T) {
			c.cfg.Clock = testkit.NewClock(t0)
			got := truthFingerprint(New(c.cfg).Truth(), legacyTypes)
			if got != c.want {
				t.Errorf("fingerprint = %q, want %q", got, c.want)
			}
		})
	}
}
