//go:build dev

package main

// devBuild: a dev build's window takes Wails' own flags (-devserver,
// -assetdir, -loglevel, ...), so a leading flag opens the window.
const devBuild = true
