// Package rollup merges the counter shards that the edge collectors upload,
// one file per collector and minute, into the totals of the day.
package rollup

import (
	"bufio"
	"io/fs"
	"strconv"
	"strings"
)

// Report is the outcome of a merge.
type Report struct {
	Totals  map[string]int64 // counter name → sum over the merged shards
	Merged  int              // shards whose counts are in Totals
	Corrupt []string         // shards left out because a line did not parse
}

// MergeDir merges every *.cnt shard in fsys, for example
// os.DirFS("/var/spool/edge-counters/2024-06-01"). A shard holds one
// "counter value" pair per line:
//
//	checkout.requests 1243
//	checkout.errors 7
//
// A shard is merged whole or not at all: a collector killed mid-write leaves
// a truncated last line, and half a shard would be worse than none, so such a
// shard is reported in Corrupt and the merge goes on. Any other error stops
// the merge.
func MergeDir(fsys fs.FS) (Report, error) {
	names, err := fs.Glob(fsys, "*.cnt")
	if err != nil {
		return Report{}, err
	}
	rep := Report{Totals: make(map[string]int64)}
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return rep, err
		}

		counts := make(map[string]int64)
		corrupt := false
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			counter, value, ok := strings.Cut(sc.Text(), " ")
			n, err := strconv.ParseInt(value, 10, 64)
			if !ok || err != nil {
				corrupt = true
				break
			}
			counts[counter] += n
		}
		// Done with this shard, whatever it held: close it before the next.
		f.Close()
		if err := sc.Err(); err != nil {
			return rep, err
		}
		if corrupt {
			rep.Corrupt = append(rep.Corrupt, name)
			continue
		}
		for counter, n := range counts {
			rep.Totals[counter] += n
		}
		rep.Merged++
	}
	return rep, nil
}
