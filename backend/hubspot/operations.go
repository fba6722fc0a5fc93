package hubspot

import (
	"fmt"
	"net/url"
	"strings"
)

// APIVersion is the family of paths the client calls: HubSpot's
// date-based versions (a new one each March and September, current for six
// months, supported for eighteen) or the legacy semantic ones (/crm/v3,
// /crm/v4), which HubSpot stops supporting in 2027.
type APIVersion string

const (
	// Version202609 is the date-based version HubSpot publishes as
	// current (since September 2026).
	Version202609 APIVersion = "2026-09"
	// VersionLegacy is the /crm/v3, /crm/v4 paths: for support cases, and
	// where HubSpot has no date-based path yet.
	VersionLegacy APIVersion = "legacy"
	// DefaultAPIVersion is what a client calls unless told otherwise.
	DefaultAPIVersion = Version202609
)

// APIVersions lists the versions a user can choose, the default first.
var APIVersions = []APIVersion{Version202609, VersionLegacy}

// ParseAPIVersion reads a version as a user types it ("" is the default).
func ParseAPIVersion(s string) (APIVersion, error) {
	switch v := APIVersion(strings.ToLower(strings.TrimSpace(s))); v {
	case "":
		return DefaultAPIVersion, nil
	case Version202609, VersionLegacy:
		return v, nil
	}
	return "", fmt.Errorf("unknown HubSpot API version %q: use %s or %s", s, Version202609, VersionLegacy)
}

// op is one operation the product uses.
type op int

const (
	opListObjects op = iota
	opSearchObjects
	opBatchReadObjects
	opBatchReadAssociations
	opProperties
	opOwners
	opPipelines
	opAccountDetails
	opForms
	opFormSubmissions
	opEmailEvents
	opSchemas
	numOps
)

// route is where one version of an operation lives. Path holds {name}
// placeholders, filled in order by the path arguments. Exempt is the
// description's "x-hubspot-rate-limit-exemptions": ["ten-secondly"]: the
// call does not count against the ten-second budget. Spec is the published
// description the route was checked against (repository
// HubSpot/HubSpot-public-api-spec-collection).
type route struct {
	Path   string
	Exempt bool
	Spec   string
}

// operation names an operation, its routes per version (Dated is zero when
// HubSpot publishes no date-based path for it) and the scopes a key needs
// for the product's use of it ({type} is the object type's own scope).
type operation struct {
	Name   string
	Method string
	Legacy route
	Dated  route
	Scopes string
}

// operations is every call the product makes, read from HubSpot's
// published OpenAPI descriptions. Where the description names no scope per
// object type, Scopes says what HubSpot's scope reference asks.
var operations = [numOps]operation{
	opListObjects: {Name: "list records", Method: "GET",
		Legacy: route{Path: "/crm/v3/objects/{objectType}", Spec: "PublicApiSpecs/CRM/Objects/Rollouts/424/v3/objects.json"},
		Dated:  route{Path: "/crm/objects/2026-09/{objectType}", Spec: "PublicApiSpecs/CRM/Objects/Rollouts/424/2026-09/objects.json"},
		Scopes: "the type's read scope"},
	opSearchObjects: {Name: "search records", Method: "POST",
		// Both descriptions exempt search from the ten-second budget: it
		// has its own per-second limit.
		Legacy: route{Path: "/crm/v3/objects/{objectType}/search", Exempt: true, Spec: "PublicApiSpecs/CRM/Objects/Rollouts/424/v3/objects.json"},
		Dated:  route{Path: "/crm/objects/2026-09/{objectType}/search", Exempt: true, Spec: "PublicApiSpecs/CRM/Objects/Rollouts/424/2026-09/objects.json"},
		Scopes: "the type's read scope"},
	opBatchReadObjects: {Name: "batch read records", Method: "POST",
		Legacy: route{Path: "/crm/v3/objects/{objectType}/batch/read", Spec: "PublicApiSpecs/CRM/Objects/Rollouts/424/v3/objects.json"},
		Dated:  route{Path: "/crm/objects/2026-09/{objectType}/batch/read", Spec: "PublicApiSpecs/CRM/Objects/Rollouts/424/2026-09/objects.json"},
		Scopes: "the type's read scope"},
	opBatchReadAssociations: {Name: "batch read associations", Method: "POST",
		Legacy: route{Path: "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read", Spec: "PublicApiSpecs/CRM/Associations/Rollouts/130902/v4/associations.json"},
		Dated:  route{Path: "/crm/associations/2026-09/{fromObjectType}/{toObjectType}/batch/read", Exempt: true, Spec: "PublicApiSpecs/CRM/Associations/Rollouts/130902/2026-09/associations.json"},
		Scopes: "the read scopes of both types"},
	opProperties: {Name: "list properties", Method: "GET",
		Legacy: route{Path: "/crm/v3/properties/{objectType}", Spec: "PublicApiSpecs/CRM/Properties/Rollouts/145899/v3/properties.json"},
		Dated:  route{Path: "/crm/properties/2026-09/{objectType}", Spec: "PublicApiSpecs/CRM/Properties/Rollouts/145899/2026-09/properties.json"},
		Scopes: "the type's read scope; its sensitive and highly sensitive read scopes for those levels"},
	opOwners: {Name: "list owners", Method: "GET",
		Legacy: route{Path: "/crm/v3/owners", Spec: "PublicApiSpecs/CRM/Crm Owners/Rollouts/146888/v3/crmOwners.json"},
		Dated:  route{Path: "/crm/owners/2026-09", Spec: "PublicApiSpecs/CRM/Crm Owners/Rollouts/146888/2026-09/crmOwners.json"},
		Scopes: "crm.objects.owners.read"},
	opPipelines: {Name: "list pipelines", Method: "GET",
		Legacy: route{Path: "/crm/v3/pipelines/{objectType}", Spec: "PublicApiSpecs/CRM/Pipelines/Rollouts/145896/v3/pipelines.json"},
		Dated:  route{Path: "/crm/pipelines/2026-09/{objectType}", Spec: "PublicApiSpecs/CRM/Pipelines/Rollouts/145896/2026-09/pipelines.json"},
		Scopes: "the type's read scope"},
	opAccountDetails: {Name: "account details", Method: "GET",
		Legacy: route{Path: "/account-info/v3/details", Spec: "PublicApiSpecs/Account/Account Info/Rollouts/144923/v3/accountInfo.json"},
		Dated:  route{Path: "/account-info/2026-09/details", Spec: "PublicApiSpecs/Account/Account Info/Rollouts/144923/2026-09/accountInfo.json"},
		Scopes: AccountDetailsScope},
	// Forms have only beta date-based versions (2026-09-beta, 2027-03-beta):
	// a beta is no version to build a product on.
	opForms: {Name: "list forms", Method: "GET",
		Legacy: route{Path: "/marketing/v3/forms", Spec: "PublicApiSpecs/Marketing/Forms/Rollouts/144909/v3/forms.json"},
		Scopes: "forms"},
	// The two v1 endpoints have no published description at all, and no
	// date-based successor: HubSpot's developer docs are their reference.
	opFormSubmissions: {Name: "form submissions", Method: "GET",
		Legacy: route{Path: "/form-integrations/v1/submissions/forms/{formGuid}", Spec: "none published (legacy Forms API v1 docs)"},
		Scopes: "forms"},
	opEmailEvents: {Name: "email events", Method: "GET",
		Legacy: route{Path: "/email/public/v1/events", Spec: "none published (legacy Email Events API v1 docs)"},
		Scopes: "content"},
	// Only the /crm-object-schemas form is published (not /crm/v3/schemas).
	opSchemas: {Name: "object schemas", Method: "GET",
		Legacy: route{Path: "/crm-object-schemas/v3/schemas", Spec: "PublicApiSpecs/CRM/Schemas/Rollouts/145900/v3/schemas.json"},
		Dated:  route{Path: "/crm-object-schemas/2026-09/schemas", Spec: "PublicApiSpecs/CRM/Schemas/Rollouts/145900/2026-09/schemas.json"},
		Scopes: SchemasScope},
}

// Operation is one row of the table of operations, for people: `hubextract
// api` prints it.
type Operation struct {
	Name, Method, Path string
	Version            APIVersion // the version of Path: the chosen one, or legacy where no other exists
	Exempt             bool       // not charged to the ten-second budget
	Scopes, Spec       string
}

// Operations is the table of operations as a client of version v calls
// them.
func Operations(v APIVersion) []Operation {
	out := make([]Operation, 0, numOps)
	for i := range operations {
		o := &operations[i]
		r, ver := o.route(v)
		out = append(out, Operation{Name: o.Name, Method: o.Method, Path: r.Path, Version: ver,
			Exempt: r.Exempt, Scopes: o.Scopes, Spec: r.Spec})
	}
	return out
}

// route is the route version v uses: its own, or the legacy one where
// HubSpot has no other.
func (o *operation) route(v APIVersion) (route, APIVersion) {
	if v != VersionLegacy && o.Dated.Path != "" {
		return o.Dated, v
	}
	return o.Legacy, VersionLegacy
}

// fill puts the escaped arguments into a path template's placeholders, in
// order.
func fill(template string, args []string) string {
	var b strings.Builder
	rest := template
	for _, a := range args {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			break
		}
		b.WriteString(rest[:i])
		b.WriteString(url.PathEscape(a))
		rest = rest[j+1:]
	}
	b.WriteString(rest)
	return b.String()
}
