package importer

import "testing"

func TestImportSurvivesTruncatedLine(t *testing.T) {
	lines := []string{
		"INV-1042;ACME GmbH;1999.90;EUR",
		"INV-1043;Globex", // the partner's export job was killed mid-line
		"INV-1044;Initech;12.5;USD",
		"INV-1045;Umbrella Corp;n/a;EUR",
		"INV-1046;Hooli;300;EUR",
	}

	results := RunPool(lines, 3, ParseInvoice)

	if len(results) != len(lines) {
		t.Fatalf("got %d results for %d lines", len(results), len(lines))
	}
	wantCents := map[int]int64{0: 199990, 2: 1250, 4: 30000}
	for i, want := range wantCents {
		if r := results[i]; r.Err != nil || r.Value.AmountCents != want {
			t.Errorf("line %d (%q): got %+v, want %d cents and no error", i, lines[i], r, want)
		}
	}
	for _, i := range []int{1, 3} {
		if results[i].Err == nil {
			t.Errorf("line %d (%q): got %+v, want an error", i, lines[i], results[i])
		}
	}
}
