package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SendTheLog is how a message asks for the log file; the app and the
// command line, which know where the log is, name it after these words.
const SendTheLog = "send the log file to support"

// APIError is the common core of every error a call returns once it has
// given up: what was asked, what HubSpot (or the network) answered, and how
// many attempts were made. The typed errors below wrap it, so
// errors.As(err, new(*APIError)) works for all of them.
type APIError struct {
	Method        string
	Path          string // URL path only: never the query, never the token
	Status        int    // HTTP status; 0 when no response arrived
	Message       string // HubSpot's message, or what went wrong on the way
	CorrelationID string // HubSpot support asks for it
	Category      string // HubSpot's category or errorType
	Attempts      int
	Err           error // underlying cause (network error, bad body), if any
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s giving up after %d attempt(s): ", e.Method, e.Path, e.Attempts)
	if e.Status > 0 {
		fmt.Fprintf(&b, "HTTP %d %s", e.Status, http.StatusText(e.Status))
		if e.Message != "" {
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Message)
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, " (correlationId %s)", e.CorrelationID)
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// UserMessage says what went wrong in words for the person at the screen.
func (e *APIError) UserMessage() string {
	return fmt.Sprintf("HubSpot refused a request (status %d): please %s so we can fix it.", e.Status, SendTheLog)
}

// AuthError: HubSpot answered 401, the token is wrong, incomplete or revoked.
type AuthError struct{ *APIError }

func (e *AuthError) Unwrap() error { return e.APIError }
func (e *AuthError) UserMessage() string {
	// Revoked first: mid-run, when the key worked a moment before, it is the
	// likely cause.
	return "HubSpot did not accept the access token: it was revoked, deleted or rotated in HubSpot, or not copied whole; " +
		"check the service key (or private app token), then run the extraction again."
}

// ScopeError: HubSpot answered 403, the key lacks a permission.
type ScopeError struct {
	*APIError
	Scopes []string // the scopes HubSpot named as required, when it named them
}

func (e *ScopeError) Unwrap() error { return e.APIError }
func (e *ScopeError) UserMessage() string {
	if len(e.Scopes) > 0 {
		return fmt.Sprintf("The HubSpot key is missing the permission %s: add this scope to the service key (or private app) in HubSpot, then run the extraction again.", strings.Join(e.Scopes, " or "))
	}
	return "The HubSpot key is missing a permission (scope) this data needs: check the scopes of the service key (or private app) in HubSpot, then run the extraction again."
}

// NotFoundError: HubSpot answered 404.
type NotFoundError struct{ *APIError }

func (e *NotFoundError) Unwrap() error { return e.APIError }
func (e *NotFoundError) UserMessage() string {
	return "HubSpot says this data does not exist: it may have been deleted, or this HubSpot account may not include that feature."
}

// ValidationError: HubSpot answered 400 and said why in Message.
type ValidationError struct{ *APIError }

func (e *ValidationError) Unwrap() error { return e.APIError }
func (e *ValidationError) UserMessage() string {
	msg := e.Message
	if msg == "" {
		msg = "no reason given"
	}
	return fmt.Sprintf("HubSpot rejected a request as invalid (%s): please %s so we can fix it.", msg, SendTheLog)
}

// DailyLimitError: the account's daily API allowance is spent; retrying
// before ResetAt is pointless.
type DailyLimitError struct {
	*APIError
	ResetAt time.Time
}

func (e *DailyLimitError) Unwrap() error { return e.APIError }
func (e *DailyLimitError) UserMessage() string {
	return fmt.Sprintf("This HubSpot account has used up its daily API allowance: run the extraction again after %s and it will resume where it stopped.", e.ResetAt.Local().Format("Mon 2 Jan 15:04 MST"))
}

// RateLimitError: HubSpot kept answering 429 (not the daily limit) through
// every attempt, usually because another app shares the same budget.
type RateLimitError struct {
	*APIError
	Policy     string        // HubSpot's policyName, e.g. TEN_SECONDLY_ROLLING
	RetryAfter time.Duration // the wait HubSpot asked for or its window implies
}

func (e *RateLimitError) Unwrap() error { return e.APIError }
func (e *RateLimitError) UserMessage() string {
	return "HubSpot kept asking us to slow down, perhaps because another app uses the same access: wait a few minutes and run the extraction again; it will resume where it stopped."
}

// ServerError: HubSpot failed (5xx, 423, or a success with a broken body)
// through every attempt.
type ServerError struct{ *APIError }

func (e *ServerError) Unwrap() error { return e.APIError }
func (e *ServerError) UserMessage() string {
	if e.Status >= 200 && e.Status < 300 && e.Message == msgNotJSON {
		// Every attempt got a page, not JSON: an address that is not
		// HubSpot's API, or a proxy or sign-in page in the way.
		return "The address the app reads from answered with something that is not HubSpot's API (a web page, perhaps a proxy's or a sign-in page): " +
			"check the HubSpot address the app uses and any proxy or firewall in the way, then run the extraction again; it will resume where it stopped."
	}
	return "HubSpot's servers had a problem and did not recover after several tries: wait a few minutes and run the extraction again; it will resume where it stopped."
}

// TransportError: no usable answer came back (connection refused or reset,
// timeout, body cut short), or the request could not be made at all.
type TransportError struct {
	*APIError
	// Cause says in words why asking again would not help (an address
	// that is not a web address, HTTPS to a plain-HTTP port, a key that
	// cannot be sent, a certificate not trusted); "" for a network failure
	// that was retried.
	Cause string
}

func (e *TransportError) Unwrap() error { return e.APIError }
func (e *TransportError) UserMessage() string {
	if e.Cause != "" {
		return e.Cause
	}
	return "Could not reach HubSpot: check the internet connection (and any proxy or firewall), then run the extraction again; it will resume where it stopped."
}

// msgNotJSON is the Message of a success whose body is not JSON.
const msgNotJSON = "the response body is not valid JSON"

// Answer says in words what one attempt got back, for a warning such as
// "list contacts: HubSpot's answer was cut off; trying again": a success
// status with a broken body is said as such, never as "HubSpot answered 200".
func Answer(ci CallInfo) string {
	var tr *TransportError
	var api *APIError
	switch {
	case ci.Status == http.StatusTooManyRequests:
		return "HubSpot asked us to slow down"
	case ci.Status >= 200 && ci.Status < 300 && errors.As(ci.Err, &tr):
		return "HubSpot's answer was cut off"
	case ci.Status >= 200 && ci.Status < 300 && errors.As(ci.Err, &api) && api.Message == msgNotJSON:
		return "HubSpot's answer was not valid JSON"
	case ci.Status >= 200 && ci.Status < 300:
		return "HubSpot's answer could not be read"
	case ci.Status >= 500:
		return fmt.Sprintf("HubSpot had a server problem (%d)", ci.Status)
	case ci.Status > 0:
		return fmt.Sprintf("HubSpot answered %d", ci.Status)
	case errors.As(ci.Err, &tr) && tr.Cause != "":
		return tr.Cause
	}
	return "no answer from HubSpot (network)"
}

// OwnMessage is the sentence for the person at the screen that err, or an
// error it wraps, carries (a UserMessage method, as this package's errors
// and the store's have); false when none does.
func OwnMessage(err error) (string, bool) {
	var um interface{ UserMessage() string }
	if errors.As(err, &um) && um.UserMessage() != "" {
		return um.UserMessage(), true
	}
	return "", false
}

// Reason is err's own sentence for the person at the screen (OwnMessage),
// else its technical text.
func Reason(err error) string {
	if msg, ok := OwnMessage(err); ok {
		return msg
	}
	return err.Error()
}

// UserMessage turns any error from this package into one sentence a
// non-engineer can act on; "" for nil.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	if msg, ok := OwnMessage(err); ok {
		return msg
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "The extraction was stopped before it finished: run it again to resume where it stopped."
	case errors.Is(err, context.DeadlineExceeded):
		return "The extraction ran out of time before it finished: run it again to resume where it stopped."
	}
	return "Something unexpected went wrong while reading from HubSpot: run the extraction again, and if it keeps happening " + SendTheLog + "."
}

// finalError wraps the APIError of an answer not worth asking again in the
// type a caller branches on (429s, retryable answers and transport failures
// are typed where they are judged).
func finalError(e *APIError, scopes []string) error {
	switch {
	case e.Status == http.StatusUnauthorized:
		return &AuthError{e}
	case e.Status == http.StatusForbidden:
		return &ScopeError{APIError: e, Scopes: scopes}
	case e.Status == http.StatusNotFound:
		return &NotFoundError{e}
	case e.Status == http.StatusBadRequest:
		return &ValidationError{e}
	case e.Status >= 500:
		return &ServerError{e}
	}
	return e
}
