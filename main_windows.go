//go:build windows

package main

import (
	"os"
	"syscall"
)

// The Windows build is a GUI-subsystem program (no console window opens when
// the app is started from the Start menu), so Windows gives it no console. A
// command run from cmd or PowerShell (hubextract version, hubextract demo)
// must still print: attach to the console of the process that started it,
// and point the standard handles that were not redirected at it.
func init() {
	if len(os.Args) < 2 {
		return // the window: no console wanted
	}
	attachParentConsole()
}

const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1

func attachParentConsole() {
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if attach.Find() != nil {
		return
	}
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started without a console (Explorer, a scheduled task): nothing to print to
	}
	// A handle that is already usable (redirected to a file or a pipe, or
	// wine's own) stays as it is.
	if !usable(os.Stdout) {
		if f := openConsole("CONOUT$", os.O_WRONLY); f != nil {
			os.Stdout = f
		}
	}
	if !usable(os.Stderr) {
		if f := openConsole("CONOUT$", os.O_WRONLY); f != nil {
			os.Stderr = f
		}
	}
	if !usable(os.Stdin) {
		if f := openConsole("CONIN$", os.O_RDONLY); f != nil {
			os.Stdin = f
		}
	}
}

func usable(f *os.File) bool {
	if f == nil {
		return false
	}
	t, err := syscall.GetFileType(syscall.Handle(f.Fd()))
	return err == nil && t != 0 // FILE_TYPE_UNKNOWN
}

func openConsole(name string, flag int) *os.File {
	f, err := os.OpenFile(name, flag, 0)
	if err != nil {
		return nil
	}
	return f
}
