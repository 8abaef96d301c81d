package diagnostics

import (
	"regexp"
	"strconv"
	"strings"
)

// ExplainEscape says in one sentence why a value escapes, from the -gcflags=-m=2
// flow that Parse keeps in an Escape finding's Text: "`sc` moves to the heap
// because its address is returned by `ParseTraceparent` (line 39) to a caller it
// cannot see". It returns "" for a finding that does not escape, or whose Text has
// no flow (plain -m).
//
// The sentence follows the flow to where the value ends up and names the step
// that takes it there, in the compiler's own terms: a result of the function (a
// return), the heap through a call whose parameter leaks (an interface passed to
// fmt, a value passed to append or panic), an assignment to something that
// outlives the call (a package-level variable, a map, a field through a pointer),
// a key of a map, a channel send, a func literal that captures it by reference, a
// size too large for the stack. A flow it does not know is told as the
// compiler's last step: "because of `x = p` (assign) at line 12".
func ExplainEscape(d Diagnostic) string {
	if d.Kind != Escape || !d.Escapes || d.Text == "" {
		return ""
	}
	e := parseEscapeText(d.Text)
	ex := e.pick()
	if ex == nil || len(ex.steps()) == 0 {
		return ""
	}
	subject := d.Subject
	if subject == "" {
		subject = e.subject
	}
	why := ex.because(subject, e.byRef, d.File)
	if why == "" {
		return ""
	}
	return oneLine(e.subjectPhrase(oneLine(subject)) + " because " + why + ".")
}

// escText is the verdict and the explanations of one -m=2 finding.
type escText struct {
	verdict      string // "moved", "escapes", "leaks", "leaks content"
	subject      string
	byRef        bool // "F capturing by ref: x"
	explanations []*escExplanation
}

// escExplanation is one "x escapes to heap in F:" or "parameter p leaks to SINK
// for F with derefs=N:" header and the flows under it.
type escExplanation struct {
	sink   string // the header's sink for a parameter: "{heap}", "~r0", "{storage for &T{...}}"; "" for "escapes to heap"
	derefs int
	fn     string
	flows  []escFlow
}

// escFlow is one "flow: dst ← src:" line and its "from" steps.
type escFlow struct {
	dst, src string
	steps    []escStep
}

// escStep is one "from expr (reason) at file:line:col" line.
type escStep struct {
	expr, reason string
	file         string
	line         int
}

var (
	flowLineRE = regexp.MustCompile(`^\s*flow: (.+?) ← (.+):$`)
	// fromLineRE matches "from return &sc, nil (return) at ./tracing.go:39:2"; the
	// reason is lowercase words, the expression may hold parentheses of its own.
	fromLineRE = regexp.MustCompile(`^\s*from (.+) \(([a-z][a-z -]*)\) at (.+?):(\d+)(?::\d+)?$`)
	derefsRE   = regexp.MustCompile(`with derefs=(-?\d+):$`)
)

// parseEscapeText reads an Escape finding's Text: the verdict line first, then
// the -m=2 lines that explained it, each "file:line:col: message".
func parseEscapeText(text string) *escText {
	e := &escText{}
	var cur *escExplanation
	for i, raw := range strings.Split(text, "\n") {
		m := posLineRE.FindStringSubmatch(raw)
		if m == nil {
			continue
		}
		msg := m[4]
		if i == 0 {
			switch {
			case movedRE.MatchString(msg):
				e.verdict, e.subject = "moved", movedRE.FindStringSubmatch(msg)[1]
				continue
			case escapesRE.MatchString(msg):
				e.verdict, e.subject = "escapes", escapesRE.FindStringSubmatch(msg)[1]
				continue
			case leakParamRE.MatchString(msg):
				lm := leakParamRE.FindStringSubmatch(msg)
				e.verdict, e.subject = "leaks", lm[2]
				if lm[1] != "" {
					e.verdict = "leaks content"
				}
				continue
			}
		}
		switch {
		case escHeaderRE.MatchString(msg):
			hm := escHeaderRE.FindStringSubmatch(msg)
			cur = &escExplanation{fn: hm[2]}
			e.explanations = append(e.explanations, cur)
			if e.subject == "" {
				e.verdict, e.subject = "escapes", hm[1]
			}
		case leakHeaderRE.MatchString(msg):
			hm := leakHeaderRE.FindStringSubmatch(msg)
			cur = &escExplanation{sink: hm[2], fn: hm[3]}
			if dm := derefsRE.FindStringSubmatch(msg); dm != nil {
				cur.derefs = atoi(strings.TrimPrefix(dm[1], "-"))
			}
			e.explanations = append(e.explanations, cur)
			if e.subject == "" {
				e.verdict, e.subject = "leaks", hm[1]
			}
		case strings.Contains(msg, " capturing by ref: "):
			e.byRef = true
		case cur == nil:
		case flowLineRE.MatchString(msg):
			fm := flowLineRE.FindStringSubmatch(msg)
			cur.flows = append(cur.flows, escFlow{dst: fm[1], src: fm[2]})
		case fromLineRE.MatchString(msg) && len(cur.flows) > 0:
			fm := fromLineRE.FindStringSubmatch(msg)
			f := &cur.flows[len(cur.flows)-1]
			f.steps = append(f.steps, escStep{expr: fm[1], reason: fm[2], file: fm[3], line: atoi(fm[4])})
		}
	}
	return e
}

// pick returns the explanation that tells the verdict: for "leaking param: p",
// the one where p itself (derefs=0) reaches the heap; for "leaking param
// content: p", one where what p points to does (derefs>0); else the first.
func (e *escText) pick() *escExplanation {
	if len(e.explanations) == 0 {
		return nil
	}
	for _, ex := range e.explanations {
		switch e.verdict {
		case "leaks":
			if ex.derefs == 0 && ex.sink != "" && !strings.HasPrefix(ex.sink, "~r") {
				return ex
			}
		case "leaks content":
			if ex.derefs > 0 && ex.sink != "" && !strings.HasPrefix(ex.sink, "~r") {
				return ex
			}
		default:
			return ex
		}
	}
	return e.explanations[0]
}

// subjectPhrase starts the sentence: "`sc` moves to the heap".
func (e *escText) subjectPhrase(subject string) string {
	q := "`" + subject + "`"
	switch e.verdict {
	case "moved":
		return q + " moves to the heap"
	case "leaks":
		return "parameter " + q + " leaks to the heap"
	case "leaks content":
		return "what parameter " + q + " points to leaks to the heap"
	}
	return q + " escapes to the heap"
}

// steps returns every step of the flows, in order.
func (ex *escExplanation) steps() []escStep {
	var out []escStep
	for _, f := range ex.flows {
		out = append(out, f.steps...)
	}
	return out
}

// sinkOf returns where the flow ends: the last flow's destination.
func (ex *escExplanation) sinkOf() string {
	if len(ex.flows) == 0 {
		return ex.sink
	}
	return ex.flows[len(ex.flows)-1].dst
}

// because says why, after "because", or "" if the flow says nothing usable.
func (ex *escExplanation) because(subject string, byRef bool, file string) string {
	steps := ex.steps()
	at := func(st escStep) string {
		if st.line <= 0 {
			return ""
		}
		if baseName(st.file) != baseName(file) && file != "" {
			return " (" + baseName(st.file) + ":" + strconv.Itoa(st.line) + ")"
		}
		return " (line " + strconv.Itoa(st.line) + ")"
	}
	first := steps[0]
	addr := first.reason == "address-of" && first.expr == "&"+subject
	boxed := first.reason == "spill" && first.expr == subject && !allocates(subject)
	it := "it"
	if addr {
		it = "its address"
	}
	for _, st := range steps {
		if st.reason == "too large for stack" {
			return "it is too large for the stack"
		}
	}
	for _, st := range steps {
		if st.reason == "captured by a closure" {
			how := "captured"
			if byRef {
				how = "captured by reference"
			}
			return "it is " + how + " by a func literal" + at(st) + " that outlives the call"
		}
	}
	sink := ex.sinkOf()
	last := steps[len(steps)-1]
	switch {
	case strings.HasPrefix(sink, "~r"):
		for i := len(steps) - 1; i >= 0; i-- {
			if steps[i].reason != "return" {
				continue
			}
			fn := "`" + ex.fn + "`"
			if ex.fn == "" {
				fn = "the function"
			}
			if boxed {
				return "it is converted to an interface that " + fn + " returns" + at(steps[i]) + " to a caller it cannot see"
			}
			return it + " is returned by " + fn + at(steps[i]) + " to a caller it cannot see"
		}
	case sink == "{heap}":
		switch last.reason {
		case "call parameter":
			callee := "`" + calleeName(last.expr) + "`"
			if boxed {
				return "it is stored in the interface passed to " + callee + at(last)
			}
			return it + " is passed to " + callee + at(last) + ", which may keep it"
		case "assign":
			lhs, _, ok := strings.Cut(last.expr, " = ")
			if !ok {
				break
			}
			if boxed {
				return "it is stored, as an interface, in `" + lhs + "`" + at(last) + ", which outlives the call"
			}
			return it + " is stored in `" + lhs + "`" + at(last) + ", which outlives the call"
		case "key of map put":
			if k := strings.LastIndex(last.expr, "["); k > 0 {
				return "it is used as a key of the map `" + last.expr[:k] + "`" + at(last) + ", which outlives the call"
			}
		case "send":
			if ch, _, ok := strings.Cut(last.expr, " <- "); ok {
				return it + " is sent on the channel `" + ch + "`" + at(last) + ", where any goroutine may receive it"
			}
		}
	case strings.HasPrefix(sink, "{storage for ") && last.reason == "struct literal element":
		holder := strings.TrimSuffix(strings.TrimPrefix(sink, "{storage for "), "}")
		return it + " is stored in `" + holder + "`" + at(last) + ", which escapes too"
	}
	where := ""
	if last.line > 0 {
		where = " at line " + strconv.Itoa(last.line)
	}
	return "of `" + last.expr + "` (" + last.reason + ")" + where
}

// allocates says whether an expression as -m prints it makes storage of its own
// (so a "spill" of it is that storage, not an interface holding a copy).
func allocates(expr string) bool {
	for _, p := range []string{"&", "make(", "new(", "append(", "func literal", "string(", "[]byte(", "[]rune(", "[]"} {
		if strings.HasPrefix(expr, p) {
			return true
		}
	}
	return strings.Contains(expr, " + ") || strings.HasSuffix(expr, "}")
}

// calleeName returns the function of a call as -m prints it:
// `fmt.Sprintf("%d", ... argument...)` -> "fmt.Sprintf",
// "(*Logger).Debugf(s.log, ...)" -> "(*Logger).Debugf".
func calleeName(call string) string {
	i := 0
	if strings.HasPrefix(call, "(") {
		if j := strings.Index(call, ")"); j > 0 {
			i = j + 1
		}
	}
	if k := strings.Index(call[i:], "("); k >= 0 {
		return call[:i+k]
	}
	return call
}
