package script

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"go test -race .", []string{"go", "test", "-race", "."}},
		{"  go   vet\t. ", []string{"go", "vet", "."}},
		{"stdout 'a b'", []string{"stdout", "a b"}},
		{"stdout 'it''s'", []string{"stdout", "it's"}},
		{"stdout ''", []string{"stdout", ""}},
		{"go run . # trailing", []string{"go", "run", "."}},
		{"stdout a#b", []string{"stdout", "a#b"}},
		{"env X='1 2'y", []string{"env", "X=1 2y"}},
		{"stdout 'unterminated", []string{"stdout", "unterminated"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Split(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLines(t *testing.T) {
	src := "# The counter is exact.\n! go test -race .\n[!windows] ? go vet .\n\nenv A=1 B='x y'\n"
	lines := Lines([]byte(src))
	if len(lines) != 6 {
		t.Fatalf("got %d lines, want 6", len(lines))
	}
	if l := lines[0]; !l.IsComment || l.Comment != "The counter is exact." {
		t.Errorf("line 1: %+v", l)
	}
	if l := lines[1]; !l.Neg || !reflect.DeepEqual(l.Args, []string{"go", "test", "-race", "."}) || l.Num != 2 {
		t.Errorf("line 2: %+v", l)
	}
	if l := lines[2]; !l.Maybe || !reflect.DeepEqual(l.Conditions, []string{"!windows"}) || l.Args[1] != "vet" {
		t.Errorf("line 3: %+v", l)
	}
	if l := lines[3]; l.Args != nil || l.IsComment {
		t.Errorf("line 4: %+v", l)
	}
	if got := EnvKeys([]byte(src)); !reflect.DeepEqual(got, []string{"A", "B"}) {
		t.Errorf("EnvKeys = %q", got)
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, w := range []string{"plain", "", "a b", "it's", "-gcflags=-m -m", "$HOME", `a"b`, "#x"} {
		if got := Split("cmd " + Quote(w)); len(got) != 2 || got[1] != w {
			t.Errorf("Split(Quote(%q)) = %q", w, got)
		}
	}
}

func TestParseArchive(t *testing.T) {
	a, err := ParseArchive([]byte("go test .\n-- a.go --\npackage a\n"))
	if err != nil || len(a.Files) != 1 || a.Files[0].Name != "a.go" {
		t.Fatalf("got %+v, %v", a, err)
	}
	if _, err := ParseArchive([]byte("-- --\n")); err == nil || !strings.Contains(err.Error(), "no file name") {
		t.Errorf("a nameless marker: got %v", err)
	}
}

func FuzzLines(f *testing.F) {
	f.Add([]byte("# x\n! go test 'a b' ''\n[x] ? env A=1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, l := range Lines(data) {
			for _, w := range l.Args {
				if got := Split(Quote(w)); len(got) != 1 || got[0] != w {
					t.Fatalf("Quote(%q) does not round-trip: %q", w, got)
				}
			}
		}
		_, _ = ParseArchive(data)
	})
}
