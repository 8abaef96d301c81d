package exercises

import (
	"context"
	"fmt"
	"sync"

	"github.com/go-blindspots/workbook/predict"
	"github.com/go-blindspots/workbook/runner"
)

// Variant is one version of an exercise's code that verification checks.
type Variant struct {
	Name     string // "shipped", "solution", or "wrong/<fix>"
	WantPass bool
	Files    map[string][]byte
}

// Variants returns what `workbook verify` checks for the exercise: the shipped
// code must fail, the solution and every right fix must pass, every wrong fix
// must fail.
func (ex *Exercise) Variants() []Variant {
	vs := []Variant{
		{Name: "shipped", Files: ex.Start},
		{Name: "solution", WantPass: true, Files: ex.Overlay(ex.Solution)},
	}
	for _, w := range ex.Wrong {
		vs = append(vs, Variant{Name: "wrong/" + w.Name, Files: ex.Overlay(w.Files)})
	}
	for _, r := range ex.Right {
		vs = append(vs, Variant{Name: "right/" + r.Name, WantPass: true, Files: ex.Overlay(r.Files)})
	}
	return vs
}

// Outcome is the result of checking one variant.
type Outcome struct {
	Exercise *Exercise
	Variant  Variant
	Result   runner.Result
	Events   []runner.Event // the whole stream, for explaining a wrong outcome
}

// OK reports whether the variant did what it must: its verdict, and every
// measurement its predictions need (see Unmeasured).
func (o Outcome) OK() bool {
	return o.Result.Pass == o.Variant.WantPass && o.Result.Reason == "" && len(o.Unmeasured()) == 0
}

// Unmeasured returns, for the shipped code and every variant that must pass,
// a sentence for each prediction of the exercise that the check did not
// answer: its measurement was never taken (the step that takes it did not
// run, or the hidden test did not log it), or is no answer to the question
// (a value not among its choices). A learner predicts before the first
// check of the shipped code, so that check must measure every prediction;
// a wrong fix may stop the check before it does.
func (o Outcome) Unmeasured() []string {
	if !o.Variant.WantPass && o.Variant.Name != "shipped" {
		return nil
	}
	measured := make(map[string]string)
	for _, e := range o.Events {
		if e.Type == runner.TypeMeasure {
			measured[e.Name] = e.Value
		}
	}
	var out []string
	for _, q := range o.Exercise.Predictions {
		v, ok := measured[q.Measure]
		if !ok {
			out = append(out, fmt.Sprintf("prediction %s: the check of the %s code never measured %s", q.ID, o.Variant.Name, q.Measure))
			continue
		}
		if norm, err := q.Normalize(v); err != nil || norm != v && q.Answer != predict.Number {
			out = append(out, fmt.Sprintf("prediction %s: the check of the %s code measured %s = %q, which is no answer to it (%v)", q.ID, o.Variant.Name, q.Measure, v, err))
		}
	}
	return out
}

// Verify checks every variant of every exercise, parallel at a time, and
// calls done (from one goroutine at a time) as each finishes. The outcomes are
// returned in the order of list and Variants.
func Verify(ctx context.Context, r *runner.Runner, list []*Exercise, parallel int, done func(Outcome)) []Outcome {
	type job struct {
		i  int
		ex *Exercise
		v  Variant
	}
	var jobs []job
	for _, ex := range list {
		for _, v := range ex.Variants() {
			jobs = append(jobs, job{len(jobs), ex, v})
		}
	}
	out := make([]Outcome, len(jobs))
	var mu sync.Mutex
	sem := make(chan struct{}, max(1, parallel))
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var events runner.Collect
			res := r.Run(ctx, j.ex.Check("verify-"+variantKey(j.v.Name), j.v.Files), &events)
			o := Outcome{Exercise: j.ex, Variant: j.v, Result: res, Events: events.Events}
			mu.Lock()
			out[j.i] = o
			if done != nil {
				done(o)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

func variantKey(name string) string {
	b := []byte(name)
	for i, c := range b {
		if c == '/' {
			b[i] = '-'
		}
	}
	return string(b)
}
