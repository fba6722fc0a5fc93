package fakehub

import (
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault is an injected failure.
type Fault string

const (
	Fault429     Fault = "429"
	Fault500     Fault = "500"
	Fault502     Fault = "502"
	Fault503     Fault = "503"
	Fault504     Fault = "504"
	FaultSlow    Fault = "slow"    // answers correctly after Config.SlowDelay
	FaultDrop    Fault = "drop"    // resets the connection without an answer
	FaultCut     Fault = "cut"     // 200 whose body ends before its declared length
	FaultNotJSON Fault = "notjson" // 200 with an HTML page, as a proxy in the way sends
)

// AllFaults is every kind, the default of Faults.Kinds.
var AllFaults = []Fault{Fault429, Fault500, Fault502, Fault503, Fault504, FaultSlow, FaultDrop, FaultCut, FaultNotJSON}

// Faults injects a random fault of Kinds into a fraction Rate of calls. The
// draws are seeded (Seed, or Config.Seed when 0), so a run that makes the
// same calls in the same order meets the same faults.
type Faults struct {
	Rate  float64
	Kinds []Fault
	Seed  int64
}

type failRule struct {
	n      int
	fault  Fault
	prefix string
}

type faultState struct {
	mu     sync.Mutex
	cfg    Faults
	rnd    *rand.Rand
	rules  []failRule
	latRnd *rand.Rand
}

// init takes the fault settings, seeding the draws with seed (the fake's)
// when cfg has none.
func (f *faultState) init(cfg Faults, seed int64) {
	if len(cfg.Kinds) == 0 {
		cfg.Kinds = AllFaults
	}
	if cfg.Seed == 0 {
		cfg.Seed = seed
	}
	f.cfg = cfg
	f.rnd = rand.New(rand.NewPCG(uint64(cfg.Seed), 0xfa17))
	f.latRnd = rand.New(rand.NewPCG(uint64(seed), 0x1a7))
}

// draw decides the fault for a call to path: a pending FailNext rule first,
// then the random rate.
func (f *faultState) draw(path string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.rules {
		r := &f.rules[i]
		if r.n > 0 && strings.HasPrefix(path, r.prefix) {
			r.n--
			fault := r.fault
			if r.n == 0 {
				f.rules = append(f.rules[:i], f.rules[i+1:]...)
			}
			return fault
		}
	}
	if f.cfg.Rate <= 0 || f.rnd.Float64() >= f.cfg.Rate {
		return ""
	}
	return f.cfg.Kinds[f.rnd.IntN(len(f.cfg.Kinds))]
}

// FailNext makes the next n calls whose path starts with pathPrefix ("" for
// any) fail with f, before any random fault.
func (s *Server) FailNext(n int, f Fault, pathPrefix string) {
	if n <= 0 {
		return
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rules = append(s.faults.rules, failRule{n: n, fault: f, prefix: pathPrefix})
}

// latency is one call's delay: Latency ± Jitter.
func (s *Server) latency() time.Duration {
	d := s.cfg.Latency
	if s.cfg.Jitter > 0 {
		s.faults.mu.Lock()
		d += time.Duration(s.faults.latRnd.Int64N(int64(2*s.cfg.Jitter)+1)) - s.cfg.Jitter
		s.faults.mu.Unlock()
	}
	return max(d, 0)
}

const proxyErrorPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The web server reported a bad gateway error.</p>
<p>cloudflare</p></body></html>
`

func (s *Server) faultResponse(f Fault, search bool) *response {
	switch f {
	case Fault429:
		if search {
			return s.rateLimited(policySec, time.Second)
		}
		return s.rateLimited(policyTen, tenSeconds)
	case Fault500:
		return s.errorResp(http.StatusInternalServerError, "INTERNAL_ERROR", "internal error", nil)
	case Fault502:
		return s.errorResp(http.StatusBadGateway, "BAD_GATEWAY", "Bad Gateway", nil)
	case Fault503:
		return s.errorResp(http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "Service Unavailable: please retry", nil)
	case Fault504:
		return s.errorResp(http.StatusGatewayTimeout, "GATEWAY_TIMEOUT", "Gateway Timeout", nil)
	case FaultNotJSON:
		return &response{status: http.StatusOK, body: []byte(proxyErrorPage), ctype: "text/html; charset=UTF-8"}
	}
	return s.errorResp(http.StatusInternalServerError, "INTERNAL_ERROR", "unknown injected fault "+string(f), nil)
}

// dropConnection resets the connection without answering.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // the server closes the stream
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST rather than FIN: a connection reset
	}
	_ = conn.Close()
}

// DenyScope makes every call touching objectType (a CRM type, the custom
// type by its fullyQualifiedName or objectTypeId, or "forms",
// "form_submissions", "email_events", "owners", "account", "schemas") answer 403
// MISSING_SCOPES naming scope, as when the key lacks it.
func (s *Server) DenyScope(objectType, scope string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.ds.typeOf(objectType); ok {
		objectType = s.ds.name(t)
	}
	s.deny[objectType] = scope
}

func (s *Server) checkScopes(r *http.Request, rt *route) *response {
	if rt.touches == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.deny) == 0 {
		return nil
	}
	for _, name := range rt.touches(r) {
		if t, ok := s.ds.typeOf(name); ok {
			name = s.ds.name(t)
		}
		if scope, denied := s.deny[name]; denied {
			return s.missingScope(scope)
		}
	}
	return nil
}

// missingScope is HubSpot's 403 for a key without scope.
func (s *Server) missingScope(scope string) *response {
	return s.errorBodyResp(http.StatusForbidden, errorBody{
		Message:  "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
		Category: "MISSING_SCOPES",
		Errors: []errorDetail{{
			Message: "One or more of the following scopes are required.",
			Context: map[string]any{"requiredGranularScopes": []string{scope}},
		}},
		Links: map[string]string{"scopes": "https://developers.hubspot.com/scopes"},
	})
}
