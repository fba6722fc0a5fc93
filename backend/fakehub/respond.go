package fakehub

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// HubSpot's error body. Every error carries status, message, correlationId
// and category; the rest appears where HubSpot sends it.
type errorBody struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	ErrorType     string              `json:"errorType,omitempty"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   string              `json:"subCategory,omitempty"`
	PolicyName    string              `json:"policyName,omitempty"`
	RequestID     string              `json:"requestId,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Links         map[string]string   `json:"links,omitempty"`
}

type errorDetail struct {
	Message string         `json:"message"`
	In      string         `json:"in,omitempty"`
	Code    string         `json:"code,omitempty"`
	Context map[string]any `json:"context,omitempty"`
}

// newID is a fresh uuid-like correlation id, reproducible for a seed.
func (s *Server) newID() string {
	n := s.corr.Add(1)
	return uuidOf(hash(uint64(s.cfg.Seed), n, 0xc0), hash(uint64(s.cfg.Seed), n, 0xc1))
}

// jsonResp encodes v as HubSpot does: <, > and & stay as they are.
func (s *Server) jsonResp(status int, v any) *response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // every value encoded here is built by this package
		panic("fakehub: encode response: " + err.Error())
	}
	return &response{status: status, body: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}
}

func (s *Server) errorResp(status int, category, msg string, details []errorDetail) *response {
	return s.errorBodyResp(status, errorBody{Message: msg, Category: category, Errors: details})
}

// errorBodyResp answers eb with a fresh correlation id, in the body and in
// the X-HubSpot-Correlation-Id header as HubSpot sends it.
func (s *Server) errorBodyResp(status int, eb errorBody) *response {
	eb.Status, eb.CorrelationID = "error", s.newID()
	resp := s.jsonResp(status, eb)
	resp.header = http.Header{http.CanonicalHeaderKey("X-HubSpot-Correlation-Id"): {eb.CorrelationID}}
	return resp
}

func (s *Server) badRequest(msg string) *response {
	return s.errorResp(http.StatusBadRequest, "VALIDATION_ERROR", msg, nil)
}

// badType is HubSpot's answer to an object type it does not know.
func (s *Server) badType(name string) *response {
	return s.errorResp(http.StatusBadRequest, "OBJECT_NOT_FOUND", "Unable to infer object type from: "+name, nil)
}

// limitError answers a page size above an endpoint's maximum.
func (s *Server) limitError(limit, maxLimit int) *response {
	return s.errorResp(http.StatusBadRequest, "VALIDATION_ERROR",
		"limit must be between 1 and "+strconv.Itoa(maxLimit)+", got "+strconv.Itoa(limit),
		[]errorDetail{{Message: "must be less than or equal to " + strconv.Itoa(maxLimit), In: "limit", Code: "TOO_LARGE"}})
}

// queryLimit parses ?limit= with a default and a maximum.
func (s *Server) queryLimit(r *http.Request, def, maxLimit int) (int, *response) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, s.badRequest("Unable to parse value for query parameter: limit")
	}
	if n > maxLimit {
		return 0, s.limitError(n, maxLimit)
	}
	return n, nil
}

// readBody reads a JSON request body (at most 1 MiB).
func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, maxBody))
}

func itoa(n int) string { return strconv.Itoa(n) }

// nextLink is paging.next.link: the same request with after replaced.
func nextLink(r *http.Request, after string) string {
	q := r.URL.Query()
	q.Set("after", after)
	return "http://" + r.Host + r.URL.Path + "?" + q.Encode()
}

// afterCursor reads an opaque ?after= cursor made by cursor(prefix, n); 0
// when absent.
func (s *Server) afterCursor(r *http.Request, prefix string) (int, *response) {
	a := r.URL.Query().Get("after")
	if a == "" {
		return 0, nil
	}
	n, ok := uncursor(prefix, a)
	if !ok {
		return 0, s.badRequest("Invalid after cursor: " + a)
	}
	return n, nil
}
