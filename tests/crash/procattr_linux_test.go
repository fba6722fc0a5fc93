package crash

import (
	"os/exec"
	"syscall"
)

// On Linux a child gets SIGKILL when the test binary dies, even by a panic
// or a timeout that skips every cleanup.
func init() {
	dieWithTest = func(cmd *exec.Cmd) {
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	}
}
