package fakehub

import (
	"hubextract/backend/testkit"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkListPage serves one list page of 100 records with about 60
// properties each and inline associations, straight through ServeHTTP.
func BenchmarkListPage(b *testing.B) {
	s := New(Config{Scale: 2000, ExtraProperties: 32, Clock: testkit.NewClock(t0)})
	for _, bc := range []struct{ typ, assoc string }{
		{"contacts", "companies"},
		{"calls", "contacts,companies,deals,tickets"},
	} {
		props := strings.Join(s.Truth().Properties(bc.typ), ",")
		b.Run(bc.typ, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/crm/v3/objects/"+bc.typ+"?limit=100&properties="+props+"&associations="+bc.assoc, nil)
			req.Header.Set("Authorization", "Bearer "+defaultToken)
			var size int
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}

// BenchmarkSearchPage serves one search page of 200 over 25,000 contacts:
// a last-modified window (a full scan and sort) and an id slice.
func BenchmarkSearchPage(b *testing.B) {
	s := New(Config{Scale: 100, Clock: testkit.NewClock(t0)})
	s.AddRecords("contacts", 25_000, t0.Add(time.Hour))
	for name, body := range map[string]string{
		"window": `{"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":"1741000000000"}]}],` +
			`"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],"limit":200,"after":"9800"}`,
		"idslice": `{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"GT","value":"60000"}]}],` +
			`"sorts":[{"propertyName":"hs_object_id","direction":"ASCENDING"}],"limit":200}`,
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/crm/v3/objects/contacts/search", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+defaultToken)
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
