package exercises

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// maxSuggestLen is the longest name Suggest considers: longer input is not a
// mistyped name, and the edit distance costs the product of the lengths.
const maxSuggestLen = 64

// Suggest returns the candidates close to name (by edit distance, or
// containing it), best first, at most three; none for a name longer than
// 64 bytes.
func Suggest(name string, candidates []string) []string {
	if len(name) > maxSuggestLen {
		return nil
	}
	type scored struct {
		s    string
		dist int
	}
	var close []scored
	for _, c := range candidates {
		d := distance(strings.ToLower(name), strings.ToLower(c))
		if strings.Contains(c, name) && name != "" {
			d = min(d, 1)
		}
		if d <= max(2, len(name)/3) {
			close = append(close, scored{c, d})
		}
	}
	slices.SortStableFunc(close, func(a, b scored) int { return a.dist - b.dist })
	var out []string
	for i := 0; i < len(close) && i < 3; i++ {
		out = append(out, close[i].s)
	}
	return out
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Shorten returns name for a message: whole up to 64 bytes, else its start
// and an ellipsis, so that a huge argument is never echoed back.
func Shorten(name string) string {
	if len(name) <= maxSuggestLen {
		return name
	}
	cut := maxSuggestLen
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + "…"
}
