// Package l2met is a metrics backend that writes each counter as an l2met
// line, count#name=value, to standard output. The platform's log drain turns
// these lines into the dashboards' time series.
package l2met

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
)

// Output is where the lines go.
var Output io.Writer = os.Stdout

// Backend writes the counters to Output, sorted by name.
type Backend struct{}

func (Backend) Flush(counts map[string]int64) {
	for _, name := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(Output, "count#%s=%d\n", name, counts[name])
	}
}
