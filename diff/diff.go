// Package diff compares two texts line by line, for showing a learner's code
// against the reference solution: in the terminal as a unified diff, on the
// site as hunks of lines.
package diff

import (
	"fmt"
	"strings"
)

// Op is one line of a diff.
type Op struct {
	Kind Kind   `json:"kind"`
	Text string `json:"text"` // the line, without its newline
	A    int    `json:"a"`    // 1-based line number in a (0: not in a)
	B    int    `json:"b"`    // 1-based line number in b (0: not in b)
}

// Kind says where a line is: ' ' in both texts, '-' only in a, '+' only in
// b. In JSON it is that character, as a string.
type Kind byte

// MarshalText writes the kind as its character.
func (k Kind) MarshalText() ([]byte, error) { return []byte{byte(k)}, nil }

// Lines returns the diff of a and b as a shortest edit script over their
// lines (longest common subsequence; the texts are source files of a few
// hundred lines, so the quadratic table is small).
func Lines(a, b string) []Op {
	x, y := split(a), split(b)
	n, m := len(x), len(y)
	// lcs[i][j] is the length of the LCS of x[i:] and y[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []Op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, Op{' ', x[i], i + 1, j + 1})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, Op{'-', x[i], i + 1, 0})
			i++
		default:
			ops = append(ops, Op{'+', y[j], 0, j + 1})
			j++
		}
	}
	return ops
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// Same reports whether a diff has no changes.
func Same(ops []Op) bool {
	for _, op := range ops {
		if op.Kind != ' ' {
			return false
		}
	}
	return true
}

// Unified returns a and b's diff in the unified format, with context lines
// of context around each change; "" when they are the same.
func Unified(aName, bName, a, b string, context int) string {
	ops := Lines(a, b)
	if Same(ops) {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	for _, h := range Hunks(ops, context) {
		aStart, aLen, bStart, bLen := 0, 0, 0, 0
		for _, op := range h {
			if op.Kind != '+' {
				if aLen == 0 {
					aStart = op.A
				}
				aLen++
			}
			if op.Kind != '-' {
				if bLen == 0 {
					bStart = op.B
				}
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", aStart, aLen, bStart, bLen)
		for _, op := range h {
			out.WriteByte(byte(op.Kind))
			out.WriteString(op.Text)
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// Hunks groups a diff's changes with context lines around them; changes
// closer than twice the context share a hunk.
func Hunks(ops []Op, context int) [][]Op {
	var hunks [][]Op
	for i := 0; i < len(ops); {
		if ops[i].Kind == ' ' {
			i++
			continue
		}
		start := max(0, i-context)
		end := i
		for end < len(ops) {
			if ops[end].Kind != ' ' {
				end++
				continue
			}
			// A run of equal lines: does another change follow closely?
			k := end
			for k < len(ops) && ops[k].Kind == ' ' {
				k++
			}
			if k < len(ops) && k-end <= 2*context {
				end = k
				continue
			}
			end = min(len(ops), end+context)
			break
		}
		hunks = append(hunks, ops[start:end])
		i = end
	}
	return hunks
}
