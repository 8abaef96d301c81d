package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/runner"
)

func (a *app) cmdVerify(pos []string) error {
	parallel, verbose := &a.flags.parallel, &a.flags.verbose
	list := a.cat.List
	if len(pos) > 0 {
		list = nil
		for _, name := range pos {
			ex, err := a.cat.Lookup(name)
			if err != nil {
				return err
			}
			list = append(list, ex)
		}
	}
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	st := markdown.Style{On: a.color}
	start := time.Now()
	fmt.Fprintf(a.stdout, "Verifying %d exercises, %d checks at a time…\n", len(list), *parallel)
	outcomes := exercises.Verify(a.ctx, r, list, *parallel, func(o exercises.Outcome) {
		mark := st.Green("ok  ")
		if !o.OK() {
			mark = st.Red("FAIL")
		}
		// For a variant that fails, the phase it failed in: authors see that
		// a wrong fix is rejected for the right reason.
		why := ""
		if !o.Result.Pass && o.Result.Message != "" {
			why = "  " + st.Dim("← "+o.Result.Message)
		}
		fmt.Fprintf(a.stdout, "%s %-32s %-28s %s%s\n", mark, o.Exercise.Name, o.Variant.Name, st.Dim(o.Result.Duration.Round(10*time.Millisecond).String()), why)
		if !o.OK() || *verbose {
			a.replay(o)
		}
	})
	bad := verifyTable(a, outcomes)
	fmt.Fprintf(a.stdout, "\n%d checks in %s", len(outcomes), time.Since(start).Round(100*time.Millisecond))
	if bad > 0 {
		fmt.Fprintf(a.stdout, "; %s\n", st.Red(fmt.Sprintf("%d wrong", bad)))
		return errCheckFailed
	}
	fmt.Fprintf(a.stdout, "; %s\n", st.Green("all as expected"))
	return nil
}

// replay prints the event stream of a check whose outcome was wrong, so the
// author sees why.
func (a *app) replay(o exercises.Outcome) {
	want := "fail"
	if o.Variant.WantPass {
		want = "pass"
	}
	fmt.Fprintf(a.stdout, "  ── %s %s must %s; its check said: ──\n", o.Exercise.Name, o.Variant.Name, want)
	t := newTerminal(a.stdout, a.color, "")
	for _, e := range o.Events {
		t.Emit(e)
	}
	for _, msg := range o.Unmeasured() {
		fmt.Fprintf(a.stdout, "  %s\n", msg)
	}
}

// verifyTable prints one row per exercise and returns the number of wrong outcomes.
func verifyTable(a *app, outcomes []exercises.Outcome) int {
	st := markdown.Style{On: a.color}
	type row struct {
		shipped, solution string
		wrong             []string
		took              time.Duration
	}
	rows := map[string]*row{}
	var order []string
	bad := 0
	for _, o := range outcomes {
		r := rows[o.Exercise.Name]
		if r == nil {
			r = &row{}
			rows[o.Exercise.Name] = r
			order = append(order, o.Exercise.Name)
		}
		cell := verdictCell(o, st)
		if !o.OK() {
			bad++
		}
		switch {
		case o.Variant.Name == "shipped":
			r.shipped = cell
		case o.Variant.Name == "solution":
			r.solution = cell
		default:
			r.wrong = append(r.wrong, strings.TrimPrefix(o.Variant.Name, "wrong/")+" "+cell)
		}
		r.took = max(r.took, o.Result.Duration)
	}
	fmt.Fprintf(a.stdout, "\n%-32s %-14s %-14s %s\n", "EXERCISE", "SHIPPED", "SOLUTION", "WRONG FIXES")
	for _, name := range order {
		r := rows[name]
		fmt.Fprintf(a.stdout, "%-32s %-14s %-14s %s\n", name, r.shipped, r.solution, strings.Join(r.wrong, ", "))
	}
	return bad
}

// verdictCell says what a variant did, marked wrong when it is not what it must do.
func verdictCell(o exercises.Outcome, st markdown.Style) string {
	got := "fails"
	switch {
	case o.Result.Reason == runner.ReasonCheckTimeout:
		got = "timeout"
	case o.Result.Reason == runner.ReasonCanceled:
		got = "canceled"
	case o.Result.Pass:
		got = "passes"
	}
	if o.OK() {
		return got + " ✓"
	}
	return got + " ✗"
}
