package offline

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	url, err := Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := FileURL(dir); url != want {
		t.Errorf("got URL %q, want %q", url, want)
	}
	zip := filepath.Join(dir, "go.uber.org", "goleak", "@v", "v1.3.0.zip")
	st, err := os.Stat(zip)
	if err != nil || st.Size() == 0 {
		t.Fatalf("the goleak zip is not laid out: %v", err)
	}
	// A second Write leaves identical files alone.
	before := st.ModTime()
	if _, err := Write(dir); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(zip); !st.ModTime().Equal(before) {
		t.Errorf("an identical file was written again")
	}
	// A damaged file is repaired.
	if err := os.WriteFile(zip, []byte("torn"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(zip); st.Size() < 1000 {
		t.Errorf("a damaged file was not written again (%d bytes)", st.Size())
	}
}

func TestFileURL(t *testing.T) {
	if runtime.GOOS == "windows" {
		if got := FileURL(`C:\Users\ann\proxy`); got != "file:///C:/Users/ann/proxy" {
			t.Errorf("got %q", got)
		}
		return
	}
	if got := FileURL("/home/ann/.cache/my proxy"); got != "file:///home/ann/.cache/my%20proxy" {
		t.Errorf("got %q", got)
	}
}

func TestModules(t *testing.T) {
	if got := Modules(); !slices.Contains(got, "go.uber.org/goleak@v1.3.0") {
		t.Errorf("Modules() = %q, want goleak v1.3.0 among them", got)
	}
}
