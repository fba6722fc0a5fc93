package workspace

import (
	"errors"
	"fmt"
	"testing"

	"hubextract/backend/store"
)

// TestRunErrorWording: an extraction that cannot run at all shows its
// cause's sentence where it has one, else the technical chain; callers
// still find the cause.
func TestRunErrorWording(t *testing.T) {
	full := &store.Error{Kind: store.ErrDiskFull, Err: errors.New("index the associations by their other record: database or disk is full (13)")}
	plain := errors.New("list the custom objects: unexpected end of JSON input")
	for _, tt := range []struct {
		name  string
		cause error
		want  string
	}{
		{"disk full", fmt.Errorf("extract: %w", full), full.UserMessage()},
		{"no sentence", plain, "extraction: " + plain.Error()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := error(runError{tt.cause})
			if got := err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(err, tt.cause) {
				t.Errorf("errors.Is(err, cause) = false, want the cause kept")
			}
		})
	}
}
