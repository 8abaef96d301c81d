package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/workspace"
)

// askPredictions asks, before a check, the questions of ex that the learner
// has never answered, and records the answers: predict, then measure. An
// empty line skips a question; the end of input skips the rest. It is only
// called when standard input is a terminal.
func (a *app) askPredictions(ws *workspace.Workspace, ex *exercises.Exercise) error {
	p, err := ws.Progress()
	if err != nil {
		return err
	}
	qs := p.Unanswered(ex)
	if len(qs) == 0 {
		return nil
	}
	st := markdown.Style{On: a.color}
	fmt.Fprintf(a.stdout, "%s %s\n", st.Bold("Predict first:"), st.Dim("the check will measure it (Enter skips a question)."))
	in := bufio.NewReader(a.stdin)
	answers := make(map[string]string)
	for _, q := range qs {
		a.text([]byte(q.Text), "  ")
		for {
			fmt.Fprintf(a.stdout, "  %s ", st.Dim("("+q.Hint()+") >"))
			line, err := in.ReadString('\n')
			line = strings.TrimSpace(line)
			if line == "" && err != nil {
				fmt.Fprintln(a.stdout)
				return ws.Predict(ex, answers) // the input ended: check with what was answered
			}
			if line == "" {
				break
			}
			norm, nerr := q.Normalize(line)
			if nerr != nil {
				fmt.Fprintf(a.stdout, "  %s\n", st.Yellow(strings.TrimPrefix(nerr.Error(), "not an answer to the question: ")))
				if errors.Is(err, io.EOF) {
					return ws.Predict(ex, answers)
				}
				continue
			}
			answers[q.ID] = norm
			break
		}
	}
	return ws.Predict(ex, answers)
}

// isTerminal reports whether r is a terminal (a console): only then does a
// command ask the learner anything.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && isTTY(f)
}
