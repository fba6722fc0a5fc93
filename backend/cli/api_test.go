package cli

import (
	"context"
	"strings"
	"testing"
)

func TestAPI_PrintsTheOperationsOfAVersion(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		contains []string
		lacks    []string
	}{
		{args: nil, contains: []string{
			"/crm/objects/2026-09/{objectType}/search", "/crm/associations/2026-09/{fromObjectType}/{toObjectType}/batch/read",
			"PublicApiSpecs/CRM/Associations/Rollouts/130902/2026-09/associations.json", "exempt",
			"/form-integrations/v1/submissions/forms/{formGuid}", // no date-based route: the legacy one
		}, lacks: []string{"/crm/v4/"}},
		{args: []string{"--api-version", "legacy"}, contains: []string{"/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read", "/crm/v3/owners"},
			lacks: []string{"2026-09/"}},
		{args: []string{"--api-version", "2025-03"}, code: exitUsage},
	} {
		code, stdout, stderr := runMain(context.Background(), append([]string{"api"}, tc.args...)...)
		if code != tc.code {
			t.Fatalf("api %v: exit %d (%s)", tc.args, code, stderr)
		}
		for _, s := range tc.contains {
			if !strings.Contains(stdout, s) {
				t.Errorf("api %v lacks %s:\n%s", tc.args, s, stdout)
			}
		}
		for _, s := range tc.lacks {
			if strings.Contains(stdout, s) {
				t.Errorf("api %v shows %s:\n%s", tc.args, s, stdout)
			}
		}
	}
}
