//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd

package cli

import (
	"errors"
	"os"
)

// cbreak is not available here (Windows consoles among others): keys are
// read a line at a time, so a key counts once Enter is pressed.
func cbreak(*os.File) (restore func(), err error) {
	return nil, errors.New("no character mode for this terminal")
}

// isTTY reports whether f is a character device: a console here, though
// NUL is one too (no termios to ask).
func isTTY(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
