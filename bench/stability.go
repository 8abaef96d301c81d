package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// stabilityTopics are the topics whose verdicts could depend on scheduling.
var stabilityTopics = []string{"races", "leaks", "locks", "context"}

// stability checks every variant of every concurrency exercise *runs times
// and reports, per exercise, whether every run gave the verdict it must, and
// how long its checks took.
func stability(ctx context.Context, r *runner.Runner, cat *exercises.Catalog, parallel int) string {
	var list []*exercises.Exercise
	for _, ex := range cat.List {
		if slices.Contains(stabilityTopics, ex.Topic) {
			list = append(list, ex)
		}
	}
	type tally struct {
		ok, runs          int
		shipped, solution []time.Duration
		wrong             []string // variants that once gave the wrong verdict
	}
	tallies := make(map[string]*tally)
	start := time.Now()
	for i := range *runs {
		for _, o := range exercises.Verify(ctx, r, list, parallel, nil) {
			t := tallies[o.Exercise.Name]
			if t == nil {
				t = &tally{}
				tallies[o.Exercise.Name] = t
			}
			t.runs++
			if o.OK() {
				t.ok++
			} else if !slices.Contains(t.wrong, o.Variant.Name) {
				t.wrong = append(t.wrong, o.Variant.Name)
			}
			switch o.Variant.Name {
			case "shipped":
				t.shipped = append(t.shipped, o.Result.Duration)
			case "solution":
				t.solution = append(t.solution, o.Result.Duration)
			}
		}
		fmt.Printf("stability: round %d of %d done after %v\n", i+1, *runs, time.Since(start).Round(time.Second))
	}
	med := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2].Round(10 * time.Millisecond)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Every variant (shipped, solution, each wrong fix) of the %d concurrency exercises checked %d times by `go run ./bench -only stability -n %d` (%d checks at a time, %v in all, %s).\n\n",
		len(list), *runs, *runs, parallel, time.Since(start).Round(time.Second), time.Now().UTC().Format("2006-01-02"))
	b.WriteString("| exercise | variants | checks with the right verdict | shipped check (median) | solution check (median) |\n| --- | --- | --- | --- | --- |\n")
	for _, ex := range list {
		t := tallies[ex.Name]
		verdict := fmt.Sprintf("%d of %d", t.ok, t.runs)
		if len(t.wrong) > 0 {
			verdict += " (wrong verdict: " + strings.Join(t.wrong, ", ") + ")"
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %v | %v |\n", ex.Name, len(ex.Variants()), verdict, med(t.shipped), med(t.solution))
	}
	return b.String()
}
