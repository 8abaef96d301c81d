package ci

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Run runs the steps in dir, one after the other, with their output going
// to out, and stops at the first step that fails.
func Run(ctx context.Context, dir string, steps []Step, out io.Writer) error {
	for _, s := range steps {
		fmt.Fprintf(out, "=== %s: %s\n", s.Name, strings.Join(s.Args, " "))
		cmd := exec.CommandContext(ctx, s.Args[0], s.Args[1:]...)
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("step %s failed: %w", s.Name, err)
		}
	}
	return nil
}
