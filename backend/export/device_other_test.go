//go:build !unix

package export

import "errors"

func mkdevice(string, int) error { return errors.New("no device nodes on this system") }
