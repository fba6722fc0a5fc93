package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"hubextract/backend/hubspot"
)

const apiUsage = "hubextract api [--api-version 2026-09|legacy]"

func init() {
	register(command{
		name:    "api",
		summary: "show each HubSpot operation the extractor calls: path, version, scopes, rate-limit exemption, published description",
		usage:   apiUsage,
		run:     runAPI,
	})
}

func runAPI(_ context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("api", apiUsage)
	version := fs.String("api-version", string(hubspot.DefaultAPIVersion), "the HubSpot API `VERSION` to show: 2026-09 or legacy")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	v, err := hubspot.ParseAPIVersion(*version)
	if err != nil || fs.NArg() > 0 {
		if err != nil {
			fmt.Fprintf(env.Stderr, "hubextract api: --api-version: %v\n", err)
		}
		fs.Usage()
		return exitUsage
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "operation\tmethod\tpath\tversion\tten-second limit\tscopes\tchecked against (HubSpot/HubSpot-public-api-spec-collection)")
	for _, o := range hubspot.Operations(v) {
		limit := "counted"
		if o.Exempt {
			limit = "exempt"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Name, o.Method, o.Path, o.Version, limit, o.Scopes, o.Spec)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(env.Stderr, "hubextract api: %v\n", err)
		return exitFailure
	}
	return exitOK
}
