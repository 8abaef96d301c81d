// Package export renders the billing service's usage reports as CSV: the
// customer dashboard downloads a few days of one account, and finance pulls
// the whole month for every account at month end.
package export

import (
	"bytes"
	"io"
	"runtime/debug"
	"strconv"
	"sync"
)

// UsageRow is what one account consumed of one metric on one day.
type UsageRow struct {
	Account     string
	Day         string // YYYY-MM-DD
	Metric      string
	Quantity    int64
	AmountCents int64
}

// bufPool keeps render buffers between exports: the dashboard downloads
// thousands of small reports an hour, and growing a fresh buffer for each one
// was the top entry of the allocation profile.
var bufPool = sync.Pool{
	New: func() any { return new(bytes.Buffer) },
}

// WriteCSV renders rows as CSV and writes the report to w in a single Write,
// so that a failed render never sends half a report.
func WriteCSV(w io.Writer, rows []UsageRow) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)

	buf.WriteString("account,day,metric,quantity,amount\n")
	for i := range rows {
		r := &rows[i]
		buf.WriteString(r.Account)
		buf.WriteByte(',')
		buf.WriteString(r.Day)
		buf.WriteByte(',')
		buf.WriteString(r.Metric)
		buf.WriteByte(',')
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), r.Quantity, 10))
		buf.WriteByte(',')
		writeAmount(buf, r.AmountCents)
		buf.WriteByte('\n')
	}

	_, err := w.Write(buf.Bytes())
	if buf.Len() > 1<<20 {
		// A month-end report: give its memory back to the OS now instead of
		// waiting for the next garbage collection.
		debug.FreeOSMemory()
	}
	return err
}

// writeAmount writes cents as a decimal amount, e.g. 1999 as 19.99.
func writeAmount(buf *bytes.Buffer, cents int64) {
	b := strconv.AppendInt(buf.AvailableBuffer(), cents/100, 10)
	b = append(b, '.', byte('0'+cents%100/10), byte('0'+cents%10))
	buf.Write(b)
}
