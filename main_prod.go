//go:build !dev

package main

// devBuild: a production binary takes no Wails flags, so a leading flag other
// than -h or -version is a command-line usage error.
const devBuild = false
