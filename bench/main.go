// Command bench measures the workbook's speed and writes the results into
// the README's table (between the bench:start and bench:end markers):
//
//	go run ./bench            # measure, print and update README.md
//	go run ./bench -n 9       # more runs per measurement (medians are reported)
//	go run ./bench -cold=false
//
// It measures, in one run: each exercise's check next to the same go
// commands run by hand (the runner's overhead), a passing and a failing race
// check through the CLI, `workbook verify` over every exercise with one check
// at a time and with one per core, and the first check on an empty build
// cache with and without `workbook warm` before it. `-only room` measures
// the workshop room under a classroom of simulated learners instead.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var (
	runs   = flag.Int("n", 5, "runs per measurement")
	only   = flag.String("only", "", "measure only this part: site or room (printed only), or stability (every concurrency exercise's variants, -n times; rewrites its own README table)")
	cold   = flag.Bool("cold", true, "measure first checks on an empty build cache (about two minutes)")
	readme = flag.String("readme", "README.md", "the README whose table to rewrite; empty: print only")
)

type row struct{ what, result, how string }

func run() error {
	flag.Parse()
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "workbook-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "workbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	cat, err := exercises.Embedded()
	if err != nil {
		return err
	}
	r, err := runner.New(ctx)
	if err != nil {
		return err
	}
	r.WorkRoot = filepath.Join(tmp, "checks")
	env := append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(tmp, "cache"), "WORKBOOK_NO_WARM=1", "NO_COLOR=1")

	if *only == "stability" {
		table := stability(ctx, r, cat, runtime.NumCPU())
		fmt.Print("\n" + table)
		if *readme == "" {
			return nil
		}
		return updateReadme(*readme, "stability", table)
	}
	if *only == "room" {
		rows, err := roomRows(env, bin, tmp)
		if err != nil {
			return err
		}
		fmt.Print("\n" + renderTable(rows))
		return nil
	}
	if *only == "site" {
		ws := filepath.Join(tmp, "ws")
		if out, err := command(env, "", bin, "init", "--no-warm", ws); err != nil {
			return fmt.Errorf("init: %v\n%s", err, out)
		}
		rows, err := siteRows(env, bin, ws)
		if err != nil {
			return err
		}
		fmt.Print("\n" + renderTable(rows))
		return nil
	}

	var rows []row
	// The runner's overhead: a check against its own go commands.
	var ratios []float64
	var worst string
	for _, ex := range cat.List {
		check, raw, err := overhead(ctx, r, ex, filepath.Join(tmp, "raw", ex.Name))
		if err != nil {
			return err
		}
		ratio := float64(check) / float64(raw)
		ratios = append(ratios, ratio)
		if ratio >= slices.Max(ratios) {
			worst = fmt.Sprintf("%s: %v vs %v", ex.Name, ms(check), ms(raw))
		}
		fmt.Printf("overhead %-28s check %v raw %v ×%.2f\n", ex.Name, ms(check), ms(raw), ratio)
	}
	slices.Sort(ratios)
	rows = append(rows, row{"a check's wall time over the same go commands run by hand (warm cache)",
		fmt.Sprintf("median ×%.2f, worst ×%.2f (%s) over %d exercises (target ≤ ×1.15)", ratios[len(ratios)/2], ratios[len(ratios)-1], worst, len(ratios)),
		"`go run ./bench`"})

	// Race checks through the CLI, warm.
	ws := filepath.Join(tmp, "ws")
	if out, err := command(env, "", bin, "init", "--no-warm", ws); err != nil {
		return fmt.Errorf("init: %v\n%s", err, out)
	}
	race, _ := cat.Lookup("races-request-counter")
	failing, err := timeCLI(env, ws, bin, "check", race.Name)
	if err != nil {
		return err
	}
	for name, data := range race.Solution {
		if err := os.WriteFile(filepath.Join(ws, race.Name, name), data, 0o644); err != nil {
			return err
		}
	}
	passing, err := timeCLI(env, ws, bin, "check", race.Name)
	if err != nil {
		return err
	}
	rows = append(rows,
		row{"a passing race check (`workbook check races-request-counter`, solution in place)", fmt.Sprintf("%v (target ≤ 0.6 s)", ms(passing)), "`go run ./bench`"},
		row{"a failing race check (the shipped code: 5 race reports parsed and shown)", ms(failing).String(), "`go run ./bench`"})

	// The site, with the shipped code of races-request-counter back in place.
	for name, data := range race.Start {
		if err := os.WriteFile(filepath.Join(ws, race.Name, name), data, 0o644); err != nil {
			return err
		}
	}
	siteRows, err := siteRows(env, bin, ws)
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	rows = append(rows, siteRows...)

	// verify, one check at a time and one per core, after one untimed run
	// that compiles in verify's own work directories.
	if out, err := command(env, ws, bin, "verify"); err != nil {
		return fmt.Errorf("verify: %v\n%s", err, out)
	}
	for _, p := range []int{1, runtime.NumCPU()} {
		start := time.Now()
		out, err := command(env, ws, bin, "verify", fmt.Sprintf("-p=%d", p)) // one run: it is 70-odd checks already
		d := time.Since(start)
		if err != nil {
			return fmt.Errorf("verify: %v\n%s", err, out)
		}
		if err != nil {
			return err
		}
		checks := 0
		for _, ex := range cat.List {
			checks += len(ex.Variants())
		}
		rows = append(rows, row{fmt.Sprintf("`workbook verify -p %d`: %d exercises, %d checks", p, len(cat.List), checks), d.Round(100 * time.Millisecond).String(), "`go run ./bench` (one run)"})
	}

	if *cold {
		// The learner's first check is of the shipped code.
		for name, data := range race.Start {
			if err := os.WriteFile(filepath.Join(ws, race.Name, name), data, 0o644); err != nil {
				return err
			}
		}
		without, err := coldCheck(env, tmp, bin, ws, race.Name, false)
		if err != nil {
			return err
		}
		with, err := coldCheck(env, tmp, bin, ws, race.Name, true)
		if err != nil {
			return err
		}
		during, err := checkDuringWarm(env, tmp, bin, race)
		if err != nil {
			return err
		}
		rows = append(rows,
			row{"the first check (races-request-counter, shipped code) on an empty build cache, without warming", without.Round(100 * time.Millisecond).String(), "`go run ./bench` (one run)"},
			row{"the same first check pressed 1 s after `init` on an empty build cache, while the background warm-up runs", fmt.Sprintf("%v: ×%.2f of the check alone (target ≤ ×1.2)", during.Round(100*time.Millisecond), float64(during)/float64(without)), "`go run ./bench` (one run)"},
			row{"the same first check after the warm-up (`workbook warm`, what `init` starts in the background)", with.Round(10*time.Millisecond).String() + " (target ≤ 0.7 s)", "`go run ./bench` (one run)"})
	}

	table := renderTable(rows)
	fmt.Print("\n" + table)
	if *readme == "" {
		return nil
	}
	return updateReadme(*readme, "bench", table)
}

// overhead returns the median wall time of the exercise's check of its
// solution, and of the same go commands run by hand in a fixed directory.
func overhead(ctx context.Context, r *runner.Runner, ex *exercises.Exercise, dir string) (check, raw time.Duration, err error) {
	files := ex.WorkFiles(ex.Overlay(ex.Solution))
	a, err := script.ParseArchive(ex.Script)
	if err != nil {
		return 0, 0, err
	}
	all := make(map[string][]byte)
	for name, data := range files {
		all[name] = data
	}
	for _, f := range a.Files {
		all[f.Name] = f.Data
	}
	for name, data := range all {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return 0, 0, err
		}
		if err := os.WriteFile(p, data, 0o666); err != nil {
			return 0, 0, err
		}
	}
	cmds, env := rawCommands(a.Comment)
	env = append(append(os.Environ(), r.Go.Environ()...), env...)
	checkRun := func() error {
		if res := r.Run(ctx, runner.Check{Name: ex.Name, Script: ex.Script, Files: files}, runner.SinkFunc(func(runner.Event) {})); !res.Pass {
			return fmt.Errorf("%s: the solution fails its check: %s", ex.Name, res.Message)
		}
		return nil
	}
	rawRun := func() error {
		for _, args := range cmds {
			cmd := exec.Command(r.Go.Go, args...)
			cmd.Dir, cmd.Env = dir, env
			_ = cmd.Run() // some steps must fail; only the time counts
		}
		return nil
	}
	if check, err = median(checkRun); err != nil {
		return 0, 0, err
	}
	raw, err = median(rawRun)
	return check, raw, err
}

// coldCheck times the first check of an exercise on an empty build cache,
// after a warm or not.
func coldCheck(env []string, tmp, bin, ws, name string, warm bool) (time.Duration, error) {
	cache, err := os.MkdirTemp(tmp, "gocache")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(cache)
	env = append(env[:len(env):len(env)], "GOCACHE="+cache)
	if warm {
		start := time.Now()
		if out, err := command(env, ws, bin, "warm"); err != nil {
			return 0, fmt.Errorf("warm: %v\n%s", err, out)
		}
		fmt.Printf("warm on an empty cache: %v\n", time.Since(start).Round(100*time.Millisecond))
	}
	start := time.Now()
	_, _ = command(env, ws, bin, "check", name)
	d := time.Since(start)
	fmt.Printf("cold check (warm first: %v): %v\n", warm, d)
	return d, nil
}

// checkDuringWarm times an exercise's first check pressed 1 s after `init`
// on an empty build cache, while the warm-up that init starts runs beside it,
// and then stops that warm-up.
func checkDuringWarm(env []string, tmp, bin string, ex *exercises.Exercise) (time.Duration, error) {
	dir, err := os.MkdirTemp(tmp, "during")
	if err != nil {
		return 0, err
	}
	var e []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "WORKBOOK_NO_WARM=") && !strings.HasPrefix(kv, "XDG_CACHE_HOME=") {
			e = append(e, kv)
		}
	}
	cache := filepath.Join(dir, "xdg")
	e = append(e, "GOCACHE="+filepath.Join(dir, "gocache"), "XDG_CACHE_HOME="+cache)
	ws := filepath.Join(dir, "ws")
	if out, err := command(e, "", bin, "init", ws); err != nil {
		return 0, fmt.Errorf("init: %v\n%s", err, out)
	}
	time.Sleep(time.Second)
	start := time.Now()
	_, _ = command(e, ws, bin, "check", ex.Name)
	d := time.Since(start)
	fmt.Printf("cold check 1 s after init, the warm-up running beside it: %v\n", d)
	// Stop the warm-up.
	if data, err := os.ReadFile(filepath.Join(cache, "go-blindspots-workbook", "checks", "warm.json")); err == nil {
		var st struct{ PID int }
		if json.Unmarshal(data, &st) == nil && st.PID > 0 {
			if p, err := os.FindProcess(st.PID); err == nil {
				_ = p.Signal(os.Interrupt)
				waitGone(st.PID)
			}
		}
	}
	return d, nil
}

// waitGone waits until the process is gone (or a zombie, on Linux).
func waitGone(pid int) {
	for {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return
		}
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// timeCLI returns the median wall time of a workbook command.
func timeCLI(env []string, dir, bin string, args ...string) (time.Duration, error) {
	return median(func() error {
		out, err := command(env, dir, bin, args...)
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
			return fmt.Errorf("workbook %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	})
}

func command(env []string, dir, bin string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = env, dir
	return cmd.CombinedOutput()
}

// median runs f once to warm up, then *runs times, and returns the median.
func median(f func() error) (time.Duration, error) {
	if err := f(); err != nil {
		return 0, err
	}
	ds := make([]time.Duration, *runs)
	for i := range ds {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

func ms(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

func renderTable(rows []row) string {
	var b strings.Builder
	out, _ := exec.Command("go", "version").Output()
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	fmt.Fprintf(&b, "Measured by `go run ./bench` on %s, %d cores, %s (medians of %d runs unless said otherwise), %s.\n\n",
		cpu, runtime.NumCPU(), strings.TrimSpace(string(out)), *runs, time.Now().UTC().Format("2006-01-02"))
	b.WriteString("| what | result | command |\n| --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.what, r.result, r.how)
	}
	return b.String()
}

// updateReadme replaces the README's text between <!-- NAME:start --> and <!-- NAME:end -->.
func updateReadme(path, name, table string) error {
	startMark, endMark := "<!-- "+name+":start -->\n", "<!-- "+name+":end -->"
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i, j := bytes.Index(data, []byte(startMark)), bytes.Index(data, []byte(endMark))
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %q … %q markers", path, strings.TrimSpace(startMark), endMark)
	}
	out := append(append(append([]byte{}, data[:i+len(startMark)]...), table...), data[j:]...)
	return os.WriteFile(path, out, 0o644)
}
func rawCommands(src []byte) (cmds [][]string, env []string) {
	for _, l := range script.Lines(src) {
		switch f := l.Args; {
		case len(f) > 1 && f[0] == "go":
			cmds = append(cmds, f[1:]) // a command that must fail still runs
		case len(f) > 1 && f[0] == "env":
			env = append(env, f[1:]...)
		}
	}
	return cmds, env
}
