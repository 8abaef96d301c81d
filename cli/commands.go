package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

func (a *app) cmdInit(args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	noWarm := fs.Bool("no-warm", false, "do not warm the build cache in the background")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("usage: workbook init [DIR]")
	}
	dir := "go-blindspots"
	if root, ok := repoRoot(); ok {
		dir = filepath.Join(root, defaultWorkspace)
	}
	if len(pos) == 1 {
		dir = pos[0]
	}
	ws, err := workspace.Create(dir, a.cat)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Your workspace is %s, with %d exercises.\n", ws.Root, len(a.cat.List))
	if !*noWarm {
		a.startWarm(a.stdout)
	}
	fmt.Fprintf(a.stdout, "Open it in your editor, then run `workbook next` there.\n")
	return nil
}

// listEntry is one element of `workbook list --json`, a stable contract.
type listEntry struct {
	Name        string `json:"name"`
	Topic       string `json:"topic"`
	Title       string `json:"title"`
	Lesson      string `json:"lesson"`
	Status      string `json:"status"` // "pending" or "done"
	Dir         string `json:"dir"`
	SourceDir   string `json:"source_dir,omitempty"`
	SolutionDir string `json:"solution_dir,omitempty"`
	Hints       int    `json:"hints"`
	HintsShown  int    `json:"hints_shown"`
}

func (a *app) cmdList(args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("usage: workbook list [--json]")
	}
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	root, inClone := repoRoot()
	entries := make([]listEntry, 0, len(a.cat.List))
	for _, ex := range a.cat.List {
		e := listEntry{Name: ex.Name, Topic: ex.Topic, Title: ex.Title, Lesson: ex.Lesson,
			Status: "pending", Dir: ws.Dir(ex.Name), Hints: len(ex.Hints)}
		if p.Done(ex.Name) {
			e.Status = "done"
		}
		if st := p.Exercises[ex.Name]; st != nil {
			e.HintsShown = min(st.HintsShown, len(ex.Hints))
		}
		if inClone {
			src := filepath.Join("exercises", ex.Name, "testdata")
			if _, err := os.Stat(filepath.Join(root, src)); err == nil {
				e.SourceDir = filepath.ToSlash(filepath.Join(src, "start"))
				e.SolutionDir = filepath.ToSlash(filepath.Join(src, "solution"))
			}
		}
		entries = append(entries, e)
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	a.printList(p, a.current(p))
	return nil
}

// printList prints every exercise with its status, marking cur.
func (a *app) printList(p *workspace.Progress, cur *exercises.Exercise) {
	st := style{a.color}
	done := 0
	for _, ex := range a.cat.List {
		mark := st.dim("·")
		if p.Done(ex.Name) {
			mark = st.green("✓")
			done++
		}
		name := fmt.Sprintf("%-32s", ex.Name)
		if cur != nil && ex.Name == cur.Name {
			name = st.bold(name)
			mark += st.cyan("▸")
		} else {
			mark += " "
		}
		fmt.Fprintf(a.stdout, "%s %s %-8s %s\n", mark, name, ex.Topic, ex.Title)
	}
	fmt.Fprintf(a.stdout, "\n%d of %d done.\n", done, len(a.cat.List))
}

// cmdStatus is what `workbook` with no command prints: where you are.
func (a *app) cmdStatus() error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	done := 0
	for _, ex := range a.cat.List {
		if p.Done(ex.Name) {
			done++
		}
	}
	fmt.Fprintf(a.stdout, "Workspace %s: %d of %d exercises done.\n\n", ws.Root, done, len(a.cat.List))
	return a.showNext(ws, p)
}

func (a *app) cmdNext(args []string) error {
	if len(args) > 0 {
		return usagef("usage: workbook next")
	}
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	return a.showNext(ws, p)
}

func (a *app) showNext(ws *workspace.Workspace, p *workspace.Progress) error {
	ex := a.current(p)
	st := style{a.color}
	if ex == nil {
		fmt.Fprintln(a.stdout, st.green("Every exercise passes. Well done."))
		return nil
	}
	if err := ws.Update(func(p *workspace.Progress) error { p.Current = ex.Name; return nil }); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s %s  %s\n", st.bold("Next:"), st.cyan(ex.Name), st.dim("("+ex.Topic+")"))
	fmt.Fprintf(a.stdout, "%s\n\n", st.bold(ex.Title))
	renderMarkdown(a.stdout, []byte(ex.Task), "  ", a.color)
	fmt.Fprintf(a.stdout, "\nEdit %s, then run `workbook check`.\n", relPath(ws.Dir(ex.Name)))
	fmt.Fprintf(a.stdout, "Stuck? `workbook hint` gives one hint at a time (%d in all).\n", len(ex.Hints))
	return nil
}

func (a *app) cmdCheck(args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	all := fs.Bool("all", false, "check every exercise")
	asJSON := fs.Bool("json", false, "print the event stream as JSON lines")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 || *all && len(pos) > 0 {
		return usagef("usage: workbook check [NAME|--all] [--json]")
	}
	ws, err := a.workspace()
	if err != nil {
		return err
	}
	var list []*exercises.Exercise
	switch {
	case *all:
		list = a.cat.List
	case len(pos) == 1:
		ex, err := a.exercise(pos[0])
		if err != nil {
			return err
		}
		list = []*exercises.Exercise{ex}
	default:
		p, err := ws.Progress()
		if err != nil {
			return err
		}
		ex := a.current(p)
		if ex == nil {
			fmt.Fprintln(a.stdout, "Every exercise passes. Check one by name: `workbook check NAME`.")
			return nil
		}
		list = []*exercises.Exercise{ex}
	}
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	if err := a.waitWarm(r); err != nil {
		return err
	}
	failed := 0
	for _, ex := range list {
		pass, err := a.checkOne(r, ws, ex, *asJSON)
		if err != nil {
			return err
		}
		if !pass {
			failed++
		}
		if a.ctx.Err() != nil {
			break
		}
	}
	if *all && !*asJSON {
		fmt.Fprintf(a.stdout, "\n%d of %d exercises pass.\n", len(list)-failed, len(list))
	}
	if failed > 0 {
		return errCheckFailed
	}
	return nil
}

// checkOne checks the learner's code of one exercise, records the result and
// says what to do next.
func (a *app) checkOne(r *runner.Runner, ws *workspace.Workspace, ex *exercises.Exercise, asJSON bool) (bool, error) {
	var sink runner.Sink
	if asJSON {
		sink = newJSONLines(a.stdout)
	} else {
		sink = newTerminal(a.stdout, a.color, ws.Dir(ex.Name))
	}
	res, hintsLeft, err := runCheck(a.ctx, r, ws, ex, sink)
	if err != nil || asJSON {
		return res.Pass, err
	}
	st := style{a.color}
	switch {
	case res.Pass:
		fmt.Fprintf(a.stdout, "  Compare with the reference: `workbook solution %s`. Next: `workbook next`.\n", ex.Name)
	case res.Reason == runner.ReasonCanceled:
		fmt.Fprintln(a.stdout, "  Canceled; nothing of the check is left running.")
	case hintsLeft:
		fmt.Fprintf(a.stdout, "  %s `workbook hint %s`\n", st.dim("Stuck? A hint:"), ex.Name)
	default:
		fmt.Fprintf(a.stdout, "  %s\n", st.dim("All hints shown: `workbook hint "+ex.Name+"` repeats them."))
	}
	return res.Pass, nil
}

// runCheck checks the learner's code of one exercise and records the result
// (see Workspace.Check); hintsLeft says whether a hint is still to be shown.
func runCheck(ctx context.Context, r *runner.Runner, ws *workspace.Workspace, ex *exercises.Exercise, sink runner.Sink) (res runner.Result, hintsLeft bool, err error) {
	if res, err = ws.Check(ctx, r, ex, sink); err != nil {
		return res, false, err
	}
	p, err := ws.Progress()
	if err != nil {
		return res, false, err
	}
	return res, p.Status(ex.Name).HintsShown < len(ex.Hints), nil
}

func (a *app) cmdHint(args []string) error {
	if len(args) > 1 {
		return usagef("usage: workbook hint [NAME]")
	}
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	ex := a.current(p)
	if len(args) == 1 {
		if ex, err = a.exercise(args[0]); err != nil {
			return err
		}
	}
	if ex == nil {
		return usagef("every exercise passes; ask for the hints of one by name: workbook hint NAME")
	}
	return a.showHint(ws, ex)
}

// showHint shows one more hint of ex (after the ones shown before, dimmed).
func (a *app) showHint(ws *workspace.Workspace, ex *exercises.Exercise) error {
	var shown int
	err := ws.Update(func(p *workspace.Progress) error {
		s := p.Status(ex.Name)
		if s.HintsShown < len(ex.Hints) {
			s.HintsShown++
		}
		shown = s.HintsShown
		return nil
	})
	if err != nil {
		return err
	}
	st := style{a.color}
	for i := 0; i < shown; i++ {
		label := fmt.Sprintf("Hint %d of %d:", i+1, len(ex.Hints))
		if i < shown-1 {
			fmt.Fprintf(a.stdout, "%s %s\n", st.dim(label), st.dim(ex.Hints[i]))
			continue
		}
		fmt.Fprintf(a.stdout, "%s %s\n", st.bold(label), ex.Hints[i])
	}
	if shown == len(ex.Hints) {
		fmt.Fprintf(a.stdout, "%s\n", st.dim("That was the last hint. The lesson section: "+ex.Lesson))
	}
	return nil
}

func (a *app) cmdReset(args []string) error {
	if len(args) != 1 {
		return usagef("usage: workbook reset NAME")
	}
	ex, err := a.exercise(args[0])
	if err != nil {
		return err
	}
	ws, err := a.workspace()
	if err != nil {
		return err
	}
	backup, err := ws.Reset(ex)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Restored the shipped code of %s.\nYour code is saved in %s.\n", ex.Name, relPath(backup))
	return nil
}

func (a *app) cmdSolution(args []string) error {
	if len(args) != 1 {
		return usagef("usage: workbook solution NAME")
	}
	ex, err := a.exercise(args[0])
	if err != nil {
		return err
	}
	_, p, err := a.progress()
	if err != nil {
		return err
	}
	if !p.Done(ex.Name) {
		return usagef("the solution of %s opens once your check passes: `workbook check %s` (or ask for a hint: `workbook hint %s`)", ex.Name, ex.Name, ex.Name)
	}
	names := make([]string, 0, len(ex.Solution))
	for name := range ex.Solution {
		names = append(names, name)
	}
	sort.Strings(names)
	st := style{a.color}
	for _, name := range names {
		fmt.Fprintf(a.stdout, "%s\n", st.bold("── "+name+" "+strings.Repeat("─", max(0, 60-len(name)))))
		if err := highlight(a.stdout, name, string(ex.Solution[name]), a.color); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	}
	return nil
}

// progressReport is `workbook progress --json`: what a workshop lead collects.
type progressReport struct {
	User      string                       `json:"user"`
	Host      string                       `json:"host"`
	Workspace string                       `json:"workspace"`
	Done      int                          `json:"done"`
	Total     int                          `json:"total"`
	Topics    []topicProgress              `json:"topics"`
	Pending   []string                     `json:"pending"`
	Current   string                       `json:"current,omitempty"`
	Checks    int                          `json:"checks"`
	Hints     int                          `json:"hints_shown"`
	LastCheck time.Time                    `json:"last_check,omitzero"`
	Generated time.Time                    `json:"generated"`
	Exercises map[string]*workspace.Status `json:"exercises"`
}

type topicProgress struct {
	Topic string `json:"topic"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

func (a *app) cmdProgress(args []string) error {
	fs := flag.NewFlagSet("progress", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("usage: workbook progress [--json]")
	}
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	rep := progressReport{User: firstNonEmpty(os.Getenv("USER"), os.Getenv("USERNAME"), "unknown"), Host: host,
		Workspace: ws.Root, Total: len(a.cat.List), Generated: time.Now().UTC(), Exercises: p.Exercises}
	for _, ex := range a.cat.List {
		if len(rep.Topics) == 0 || rep.Topics[len(rep.Topics)-1].Topic != ex.Topic {
			rep.Topics = append(rep.Topics, topicProgress{Topic: ex.Topic})
		}
		t := &rep.Topics[len(rep.Topics)-1]
		t.Total++
		if p.Done(ex.Name) {
			t.Done++
			rep.Done++
		} else {
			rep.Pending = append(rep.Pending, ex.Name)
		}
		if st := p.Exercises[ex.Name]; st != nil {
			rep.Checks += st.Checks
			rep.Hints += st.HintsShown
			if st.LastCheck.After(rep.LastCheck) {
				rep.LastCheck = st.LastCheck
			}
		}
	}
	if cur := a.current(p); cur != nil {
		rep.Current = cur.Name
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	st := style{a.color}
	fmt.Fprintf(a.stdout, "%s@%s — %d of %d exercises done\n\n", rep.User, rep.Host, rep.Done, rep.Total)
	for _, t := range rep.Topics {
		bar := strings.Repeat("█", t.Done) + strings.Repeat("░", t.Total-t.Done)
		fmt.Fprintf(a.stdout, "  %-8s %s %d/%d\n", t.Topic, st.green(bar), t.Done, t.Total)
	}
	fmt.Fprintf(a.stdout, "\n  %d checks run, %d hints used", rep.Checks, rep.Hints)
	if !rep.LastCheck.IsZero() {
		fmt.Fprintf(a.stdout, ", last check %s", rep.LastCheck.Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintln(a.stdout)
	if rep.Current != "" {
		fmt.Fprintf(a.stdout, "  working on %s\n", rep.Current)
	}
	return nil
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
