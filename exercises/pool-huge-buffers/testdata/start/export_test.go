package export

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	rows := []UsageRow{
		{Account: "acct_4821", Day: "2026-03-01", Metric: "api_calls", Quantity: 182734, AmountCents: 1827},
		{Account: "acct_4821", Day: "2026-03-01", Metric: "storage_gb", Quantity: 42, AmountCents: 966},
		{Account: "acct_4821", Day: "2026-03-02", Metric: "api_calls", Quantity: 90211, AmountCents: 902},
	}
	want := `account,day,metric,quantity,amount
acct_4821,2026-03-01,api_calls,182734,18.27
acct_4821,2026-03-01,storage_gb,42,9.66
acct_4821,2026-03-02,api_calls,90211,9.02
`
	var out bytes.Buffer
	if err := WriteCSV(&out, rows); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

// capWriter records the capacity of the buffer a report was rendered in.
type capWriter struct{ len, cap int }

func (w *capWriter) Write(p []byte) (int, error) {
	w.len, w.cap = len(p), cap(p)
	return len(p), nil
}

// monthEnd is the whole month for every account: a few MiB of CSV.
func monthEnd(accounts int) []UsageRow {
	var rows []UsageRow
	for a := range accounts {
		for day := 1; day <= 31; day++ {
			rows = append(rows, UsageRow{
				Account:     fmt.Sprintf("acct_%04d", a),
				Day:         fmt.Sprintf("2026-03-%02d", day),
				Metric:      "api_calls",
				Quantity:    int64(100000 + a*day),
				AmountCents: int64(1000 + a + day),
			})
		}
	}
	return rows
}

// Finance pulls the month-end report, then the dashboard goes on serving
// small downloads. One P and no GC, so the pool behaves the same every run.
func TestSmallExportAfterMonthEnd(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))

	var w capWriter
	if err := WriteCSV(&w, monthEnd(2000)); err != nil {
		t.Fatal(err)
	}
	monthEndLen := w.len

	dashboard := []UsageRow{{Account: "acct_4821", Day: "2026-03-02", Metric: "api_calls", Quantity: 90211, AmountCents: 902}}
	if err := WriteCSV(&w, dashboard); err != nil {
		t.Fatal(err)
	}
	if w.cap > 256<<10 {
		t.Errorf("after a %d-byte month-end report, a %d-byte dashboard report was rendered in a %d-byte buffer: the pool is keeping the month-end buffer alive",
			monthEndLen, w.len, w.cap)
	}
}
