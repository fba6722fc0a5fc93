//go:build unix

package cli

import "syscall"

// mkdevice makes a character device node at path with major 1 and the
// given minor (3 is /dev/null's, 7 /dev/full's), so that a test aims at a
// device of its own, never at the system's.
func mkdevice(path string, minor int) error {
	return syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|minor)
}
