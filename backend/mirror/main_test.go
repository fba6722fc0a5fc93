package mirror

import (
	"testing"

	"hubextract/backend/testkit"
)

func TestMain(m *testing.M) { testkit.PostgresMain(m) }
