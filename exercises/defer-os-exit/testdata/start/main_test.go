package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMain turns the test binary into orders-export when ORDERS_EXPORT_MAIN
// is set: the tests run the real command in a process of its own, and see the
// exit status and the files it leaves behind, as the scheduler does.
func TestMain(m *testing.M) {
	if os.Getenv("ORDERS_EXPORT_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const (
	dump0311 = `{"id":"SO-20388","customer":"ACME GmbH","total_cents":199990,"currency":"EUR","placed_at":"2025-03-11T08:02:11Z"}
{"id":"SO-20389","customer":"Globex, Inc.","total_cents":4550,"currency":"USD","placed_at":"2025-03-11T09:47:30Z"}
`
	report0311 = `order_id,customer,total,currency,placed_on
SO-20388,ACME GmbH,1999.90,EUR,2025-03-11
SO-20389,"Globex, Inc.",45.50,USD,2025-03-11
`
	// The dump of 12 March has an order in a currency finance does not book.
	dump0312 = `{"id":"SO-20415","customer":"Umbrella Corp","total_cents":87005,"currency":"EUR","placed_at":"2025-03-12T07:31:45Z"}
{"id":"SO-20417","customer":"Soylent AG","total_cents":15990,"currency":"XTS","placed_at":"2025-03-12T11:22:51Z"}
`
	// Ops fixed the dump by hand and reran the export.
	dump0312Fixed = `{"id":"SO-20415","customer":"Umbrella Corp","total_cents":87005,"currency":"EUR","placed_at":"2025-03-12T07:31:45Z"}
{"id":"SO-20417","customer":"Soylent AG","total_cents":15990,"currency":"EUR","placed_at":"2025-03-12T11:22:51Z"}
`
)

// runOrdersExport runs orders-export in dir with the given dump, writing orders.csv.
func runOrdersExport(t *testing.T, dir, dumpName string) (stdout, stderr string, status int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-in", dumpName, "-out", "orders.csv")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ORDERS_EXPORT_MAIN=1")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil && !errors.As(err, new(*exec.ExitError)) {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

func writeTestDump(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkDirFiles reports the files in dir that should not be there, or are missing.
func checkDirFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("files after the export: %q, want %q", got, want)
	}
}

func checkReportFile(t *testing.T, dir, want string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(dir, "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("orders.csv:\n%s\nwant:\n%s", got, want)
	}
}

func TestExportWritesReport(t *testing.T) {
	dir := t.TempDir()
	writeTestDump(t, dir, "orders-0311.jsonl", dump0311)

	stdout, stderr, status := runOrdersExport(t, dir, "orders-0311.jsonl")

	if status != 0 || stdout != "exported 2 orders to orders.csv\n" || stderr != "" {
		t.Errorf("export: exit status %d, stdout %q, stderr %q; want exit status 0, stdout %q and nothing on stderr",
			status, stdout, stderr, "exported 2 orders to orders.csv\n")
	}
	checkReportFile(t, dir, report0311)
	checkDirFiles(t, dir, "orders-0311.jsonl", "orders.csv")
}

func TestFailedExportLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	writeTestDump(t, dir, "orders-0311.jsonl", dump0311)
	writeTestDump(t, dir, "orders-0312.jsonl", dump0312)
	if _, stderr, status := runOrdersExport(t, dir, "orders-0311.jsonl"); status != 0 {
		t.Fatalf("export of 11 March: exit status %d, stderr %q", status, stderr)
	}

	stdout, stderr, status := runOrdersExport(t, dir, "orders-0312.jsonl")

	wantErr := "orders-export: orders-0312.jsonl line 2: order SO-20417: unknown currency \"XTS\"\n"
	if status != 1 || stdout != "" || stderr != wantErr {
		t.Errorf("export of 12 March: exit status %d, stdout %q, stderr %q; want exit status 1, nothing on stdout and stderr %q",
			status, stdout, stderr, wantErr)
	}
	// Finance still has the last complete report, and nothing else is left.
	checkReportFile(t, dir, report0311)
	checkDirFiles(t, dir, "orders-0311.jsonl", "orders-0312.jsonl", "orders.csv")

	// The next run, with the dump fixed, must not be locked out.
	writeTestDump(t, dir, "orders-0312.jsonl", dump0312Fixed)
	if stdout, stderr, status := runOrdersExport(t, dir, "orders-0312.jsonl"); status != 0 {
		t.Errorf("rerun with the fixed dump: exit status %d, stdout %q, stderr %q; want exit status 0",
			status, stdout, stderr)
	}
}
