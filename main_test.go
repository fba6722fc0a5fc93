package main

import "testing"

func TestOpensWindow(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		prod, dev bool
	}{
		{name: "NoArgs", args: nil, prod: true, dev: true},
		{name: "Subcommand", args: []string{"version"}, prod: false, dev: false},
		{name: "UnknownSubcommand", args: []string{"bogus"}, prod: false, dev: false},
		{name: "WailsDevFlag", args: []string{"-devserver", "localhost:34115"}, prod: false, dev: true},
		{name: "WailsDevFlagDoubleDash", args: []string{"--assetdir", "frontend/dist"}, prod: false, dev: true},
		{name: "HelpFlag", args: []string{"-h"}, prod: false, dev: false},
		{name: "LongHelpFlag", args: []string{"--help"}, prod: false, dev: false},
		{name: "VersionFlag", args: []string{"-version"}, prod: false, dev: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.prod
			if devBuild {
				want = tt.dev
			}
			if got := opensWindow(tt.args); got != want {
				t.Errorf("opensWindow(%q) = %v, want %v (dev build: %v)", tt.args, got, want, devBuild)
			}
		})
	}
}
