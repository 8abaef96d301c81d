package diagnostics

import (
	"regexp"
	"strconv"
	"strings"
)

// Lines of -gcflags=-m (and -m=2) after their "file.go:line:col: " prefix.
var (
	movedRE     = regexp.MustCompile(`^moved to heap: (.+)$`)
	escapesRE   = regexp.MustCompile(`^(.+) escapes to heap$`)
	noEscapeRE  = regexp.MustCompile(`^(.+) does not escape$`)
	leakParamRE = regexp.MustCompile(`^leaking param( content)?: (\S+)(?: to result (\S+) level=(-?\d+))?$`)
	// -m=2 explanations: a header line, then indented "flow:" and "from" lines.
	escHeaderRE  = regexp.MustCompile(`^(.+) escapes to heap(?: in (.+))?:$`)
	leakHeaderRE = regexp.MustCompile(`^parameter (\S+) leaks to (.+) for (.+) with derefs=-?\d+:$`)
	capturingRE  = regexp.MustCompile(`^.+ capturing by (?:ref|value): (\S+)`)
	flowRE       = regexp.MustCompile(`^\s+(?:flow:|from )`)
	// -m lines that are not about escapes.
	// -m=2 adds "F ignoring self-assignment in x = x[:0]", bounds-check news, and
	// testing.B.Loop's "function result will be kept alive".
	mNoiseRE = regexp.MustCompile(`^(?:can inline |cannot inline |inlining call to |devirtualizing |` +
		`leaking closure reference |(?:\S+ )?ignoring self-assignment|mark escaped content|` +
		`Found Is(?:Slice)?InBounds|zero-copy |index bounds check elided|function result will be kept alive)`)
)

// escPending is a -m=2 explanation waiting for the verdict line at the same position
// ("moved to heap: p" comes after "p escapes to heap in NewPoint:" and its flows).
type escPending struct {
	at      int
	raw     []string
	fn      string
	subject string
	escapes bool
	header  bool // "escapes to heap in F:" or "parameter p leaks to ..."; a finding by itself
	loc     Location
}

// escState is what the -m parser remembers between lines.
type escState struct {
	pending map[string]*escPending // by "file:line:col subject": inlined code puts several values at one position
	last    *escPending            // the explanation flow lines go to, or nil
	lastIdx int                    // else the index in found of the finding they go to, or -1
}

// line handles one "file:line:col: msg" line if it is -m output; it reports whether it was.
func (e *escState) line(s *stream, file string, line, col int, msg, raw string) bool {
	pos := file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + " "
	loc := s.loc(file, line, col, "")
	if flowRE.MatchString(msg) {
		switch {
		case e.last != nil:
			e.last.raw = append(e.last.raw, raw)
		case e.lastIdx >= 0 && e.lastIdx < len(s.found):
			s.found[e.lastIdx].d.Text += "\n" + raw
		}
		return true
	}
	e.last, e.lastIdx = nil, -1
	if m := escHeaderRE.FindStringSubmatch(msg); m != nil {
		p := e.explain(s, pos+m[1], raw, loc)
		p.header, p.subject, p.escapes = true, m[1], true
		if m[2] != "" {
			p.fn = m[2]
		}
		return true
	}
	if m := leakHeaderRE.FindStringSubmatch(msg); m != nil {
		p := e.explain(s, pos+m[1], raw, loc)
		p.header, p.subject, p.escapes, p.fn = true, m[1], strings.Contains(m[2], "{heap}"), m[3]
		return true
	}
	if m := capturingRE.FindStringSubmatch(msg); m != nil {
		e.explain(s, pos+m[1], raw, loc)
		return true
	}
	if mNoiseRE.MatchString(msg) {
		return true
	}
	d, ok := escapeVerdict(msg, loc)
	if !ok {
		return false
	}
	d.Text = raw
	key := e.explained(pos, d.Subject)
	if p := e.pending[key]; p != nil {
		// The verdict first, so that Text's first line is what -m says in the end.
		d.Text = strings.Join(append([]string{raw}, p.raw...), "\n")
		d.Func = p.fn
		delete(e.pending, key)
	}
	e.lastIdx = s.emit(s.i, d)
	return true
}

// explained returns the key of the pending explanation of subject at pos: the
// explanation of that very subject, or else of a call that -m's verdict names
// by its function alone ("append escapes to heap" after "append(sink, p)
// escapes to heap in StoreAll:").
func (e *escState) explained(pos, subject string) string {
	key := pos + subject
	if e.pending[key] != nil {
		return key
	}
	best := ""
	for k, p := range e.pending {
		if strings.HasPrefix(k, pos+subject+"(") && (best == "" || p.at < e.pending[best].at) {
			best = k
		}
	}
	return best
}

// explain starts or continues the -m=2 explanation at key.
func (e *escState) explain(s *stream, key, raw string, loc Location) *escPending {
	p := e.pending[key]
	if p == nil {
		p = &escPending{at: s.i, loc: loc}
		e.pending[key] = p
	}
	p.raw = append(p.raw, raw)
	e.last = p
	return p
}

// flush reports the explanations whose verdict line never came.
func (e *escState) flush(s *stream) {
	for _, p := range e.pending {
		if !p.header {
			continue
		}
		d := Diagnostic{Kind: Escape, Location: p.loc, Subject: p.subject, Escapes: p.escapes,
			Text: strings.Join(p.raw, "\n")}
		d.Func = p.fn
		if p.escapes {
			d.Message = p.subject + " escapes to the heap at " + where(p.loc)
		} else {
			d.Message = p.subject + " leaks to the function's result at " + where(p.loc)
		}
		s.emit(p.at, d)
	}
	e.pending = map[string]*escPending{}
}

// escapeVerdict makes the finding of a -m verdict line.
func escapeVerdict(msg string, loc Location) (Diagnostic, bool) {
	d := Diagnostic{Kind: Escape, Location: loc}
	at := " at " + where(loc)
	if m := movedRE.FindStringSubmatch(msg); m != nil {
		d.Subject, d.Escapes = m[1], true
		d.Message = "variable " + m[1] + " is moved to the heap" + at
		return d, true
	}
	if m := escapesRE.FindStringSubmatch(msg); m != nil {
		d.Subject, d.Escapes = m[1], true
		d.Message = m[1] + " escapes to the heap" + at
		return d, true
	}
	if m := noEscapeRE.FindStringSubmatch(msg); m != nil {
		d.Subject = m[1]
		d.Message = m[1] + " does not escape (it can stay on the stack)" + at
		return d, true
	}
	if m := leakParamRE.FindStringSubmatch(msg); m != nil {
		d.Subject = m[2]
		switch {
		case m[3] != "":
			d.Message = "parameter " + m[2] + " leaks to result " + m[3] + at +
				": it escapes only if the caller lets the result escape"
		case m[1] != "":
			d.Escapes = true
			d.Message = "parameter " + m[2] + " leaks its contents" + at +
				": the values it points to escape to the heap"
		default:
			d.Escapes = true
			d.Message = "parameter " + m[2] + " leaks" + at + ": what it points to escapes to the heap"
		}
		return d, true
	}
	return d, false
}
