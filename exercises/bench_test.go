package exercises

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/runner"
	"github.com/rogpeppe/go-internal/txtar"
)

// BenchmarkCheck measures, per exercise, a check of the reference solution
// (warm build cache) next to the same go commands run by hand in a fixed
// directory: the runner's overhead is the ratio of the two.
//
//	go test -run '^$' -bench Check -benchtime 10x ./exercises/
func BenchmarkCheck(b *testing.B) {
	cat, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	r, err := runner.New(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	r.WorkRoot = b.TempDir()
	for _, ex := range cat.List {
		files := ex.WorkFiles(ex.Overlay(ex.Solution))
		b.Run(ex.Name+"/workbook", func(b *testing.B) {
			for b.Loop() {
				var sink runner.Collect
				if res := r.Run(context.Background(), runner.Check{Name: ex.Name, Script: ex.Script, Files: files}, &sink); !res.Pass {
					b.Fatalf("solution failed: %+v", res)
				}
			}
		})
		b.Run(ex.Name+"/raw-go", func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), ex.Name)
			a := txtar.Parse(ex.Script)
			for _, f := range a.Files {
				files[f.Name] = f.Data
			}
			for name, data := range files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o777)
				if err := os.WriteFile(p, data, 0o666); err != nil {
					b.Fatal(err)
				}
			}
			cmds, env := rawCommands(a.Comment)
			for b.Loop() {
				for _, args := range cmds {
					cmd := exec.Command(r.Go.Go, args...)
					cmd.Dir = dir
					cmd.Env = append(append(os.Environ(), r.Go.Environ()...), env...)
					if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(strings.Join(args, " "), "-m") {
						b.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
					}
				}
			}
		})
	}
}

// rawCommands returns the go commands of a script and the variables it sets,
// for running them by hand. Quotes are simple in our scripts: 'a b' only.
func rawCommands(script []byte) (cmds [][]string, env []string) {
	for _, line := range strings.Split(string(script), "\n") {
		f := splitQuoted(line)
		switch {
		case len(f) > 1 && f[0] == "go":
			cmds = append(cmds, f[1:])
		case len(f) > 1 && f[0] == "env":
			env = append(env, f[1:]...)
		}
	}
	return cmds, env
}

func splitQuoted(line string) []string {
	var out []string
	var cur strings.Builder
	inQuote, started := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			inQuote, started = !inQuote, true
		case (r == ' ' || r == '\t') && !inQuote:
			if started {
				out = append(out, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}
