package mirror

import (
	"testing"

	"hubextract/backend/mirror/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
