package diagnostics

import (
	"strings"
	"testing"
)

// shopFilesTree are the files of testdata/src/subpkg, a module with a package
// at its root and one in store/: both have a store.go and a store_test.go.
var shopFilesTree = []string{"shop.go", "store.go", "store_test.go", "store/store.go", "store/store_test.go"}

// subpkgRaceWant is what the race run of testdata/src/subpkg finds, with or
// without -v: races in store/store.go reached from each package, and a failed
// test in each package whose message says only "store_test.go:9".
func subpkgRaceWant() []want {
	restock := []string{"store/store.go:15", "store.go:9"}
	concurrently := []string{"store/store.go:15", "store/store_test.go:16"}
	return []want{
		diag(Race, "store/store.go", 15, "data race: read in (*Store).Add at store/store.go:15", "earlier write in (*Store).Add at store/store.go:15").
			withFunc("(*Store).Add").withRelated(restock...),
		diag(Race, "store/store.go", 16, "map read in (*Store).Add at store/store.go:16").withRelated("store/store.go:16", "store.go:9"),
		diag(TestFail, "store_test.go", 9, "test TestRestock failed at store_test.go:9: after a delivery of 3 apples"),
		diag(TestFail, "store/store_test.go", 9, "test TestCount failed at store/store_test.go:9: Count(apple) = 3"),
		diag(Race, "store/store.go", 15, "read in (*Store).Add at store/store.go:15").withRelated(concurrently...),
		diag(Race, "store/store.go", 16, "map read in (*Store).Add at store/store.go:16").withRelated("store/store.go:16", "store/store_test.go:16"),
	}
}

func subpkgCompileWant() want {
	return diag(Compile, "store/store.go", 31, "compile error at store/store.go:31: undefined: extra").withCol(25)
}

// subpkgTests are the fixtures of a two-package module; like fixtureTests, each
// has a golden file.
var subpkgTests = []struct {
	name   string
	files  []string
	module string
	want   []want
}{
	{"subpkg_race", shopFilesTree, "", subpkgRaceWant()},
	{"subpkg_race_v", shopFilesTree, "example.com/shop", subpkgRaceWant()},
	{"subpkg_build", shopFilesTree, "", []want{subpkgCompileWant()}},
	{"subpkg_test_broken", shopFilesTree, "", []want{subpkgCompileWant()}},
	{"subpkg_vet", shopFilesTree, "", []want{
		subpkgCompileWant(),
		diag(Compile, "store/store.go", 31, "compile error at store/store.go:31 (reported by go vet): undefined: extra"),
	}},
	{"subpkg_escape", shopFilesTree, "", []want{
		esc("store/store.go", 11, 28, "&Store{...}", true, "&Store{...} escapes to the heap at store/store.go:11"),
		esc("store/store.go", 11, 56, "map[string]int{}", true),
		esc("store/store.go", 14, 7, "s", false),
		esc("store/store.go", 14, 21, "name", true),
		esc("store/store.go", 20, 7, "s", false),
		esc("store/store.go", 20, 22, "name", true),
		esc("store/store.go", 30, 7, "s", false),
		esc("store/store.go", 30, 23, "name", false),
		esc("shop.go", 12, 10, "st", true),
		esc("shop.go", 13, 9, "&Shop{...}", true),
		esc("shop.go", 17, 7, "s", false),
		esc("shop.go", 17, 22, "name", true),
		esc("store.go", 6, 7, "s", true, "parameter s leaks at store.go:6"),
		esc("store.go", 6, 24, "delivery", false),
		esc("store.go", 9, 6, "func literal", true),
		esc("store.go", 21, 22, "&store.Store{...}", true),
		esc("store.go", 21, 22, "map[string]int{}", true),
		esc("store.go", 21, 12, "&Shop{...}", true),
	}},
}

func TestParseSubpackages(t *testing.T) {
	for _, tt := range subpkgTests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := fixture(t, tt.name)
			got := Parser{Files: tt.files, Module: tt.module}.Parse(stdout, stderr)
			for i := 0; i < len(got) || i < len(tt.want); i++ {
				switch {
				case i >= len(got):
					t.Errorf("finding %d: got nothing, want %s", i, tt.want[i])
				case i >= len(tt.want):
					t.Errorf("finding %d: got %s, want nothing", i, describe(got[i]))
				default:
					checkFinding(t, i, got[i], tt.want[i])
				}
			}
			checkInvariants(t, tt.name, tt.files, got)
		})
	}
}

// TestParseSubpackagesBaseNames checks that base names keep working as before
// for a module with sub-packages: every store.go is "store.go".
func TestParseSubpackagesBaseNames(t *testing.T) {
	stdout, stderr := fixture(t, "subpkg_race")
	got := Parser{Files: []string{"shop.go", "store.go", "store_test.go"}}.Parse(stdout, stderr)
	if len(got) == 0 {
		t.Fatal("got no findings, want the races and test failures")
	}
	for _, d := range got {
		for _, l := range append([]Location{d.Location}, d.Related...) {
			if strings.Contains(l.File, "/") {
				t.Errorf("got file %q in %s, want a base name", l.File, describe(d))
			}
		}
	}
	if d := got[0]; d.File != "store.go" || d.Line != 15 {
		t.Errorf("got %s, want the race at store.go:15", describe(d))
	}
}

func TestFileSetMatch(t *testing.T) {
	files := []string{"store.go", "./store/store.go", `api\v1\handler.go`, "handler.go", "deep/store/store.go"}
	tests := []struct{ printed, want string }{
		{"/tmp/x/script-check/store/store.go", "store/store.go"},
		{"./store/store.go", "store/store.go"},
		{"store/store.go", "store/store.go"},
		{"/tmp/x/script-check/store.go", "store.go"},
		{"./store.go", "store.go"},
		{"/tmp/x/deep/store/store.go", "deep/store/store.go"},
		{"/tmp/x/other/store.go", "store.go"}, // a base name names a file of that name anywhere no longer entry claims
		{`C:\work\api\v1\handler.go`, "api/v1/handler.go"},
		{"/tmp/x/api/v1/handler.go", "api/v1/handler.go"},
		{"/tmp/x/api/v2/handler.go", "handler.go"},
		{"/tmp/x/mystore/store.go", "store.go"}, // not "store/store.go": the boundary is a '/'
		{"/tmp/x/restore.go", ""},
		{"/usr/local/go/src/sync/mutex.go", ""},
	}
	fs := newFileSet(files, "")
	for _, tt := range tests {
		if got := fs.match(tt.printed); got != tt.want {
			t.Errorf("match(%q): got %q, want %q", tt.printed, got, tt.want)
		}
	}
	if fs := newFileSet([]string{"", "."}, ""); fs != nil {
		t.Errorf("newFileSet of empty entries: got %v, want nil", fs.names)
	}
}

func TestFileSetMatchBare(t *testing.T) {
	files := []string{"store_test.go", "store/store_test.go", "api/handler_test.go"}
	tests := []struct{ name, pkg, module, want string }{
		{"store_test.go", "example.com/shop", "", "store_test.go"},
		{"store_test.go", "example.com/shop/store", "", "store/store_test.go"},
		{"store_test.go", "", "", "store_test.go"}, // no package to tell: the one nearest the root
		{"handler_test.go", "", "", "api/handler_test.go"},
		{"handler_test.go", "example.com/shop/api", "", "api/handler_test.go"},
		{"handler_test.go", "example.com/shop", "", ""}, // a root file of that name is not in Files
		{"other_test.go", "example.com/shop", "", ""},
		// A module named like its sub-directory: only Module tells them apart.
		{"store_test.go", "example.com/store", "", "store/store_test.go"},
		{"store_test.go", "example.com/store", "example.com/store", "store_test.go"},
		{"store_test.go", "example.com/store/store", "example.com/store", "store/store_test.go"},
		{"store_test.go", "example.com/storefront", "example.com/store", ""},
	}
	for _, tt := range tests {
		fs := newFileSet(files, tt.module)
		if got := fs.matchBare(tt.name, tt.pkg); got != tt.want {
			t.Errorf("matchBare(%q, %q) with module %q: got %q, want %q", tt.name, tt.pkg, tt.module, got, tt.want)
		}
	}
}

func TestWhere(t *testing.T) {
	tests := []struct {
		l    Location
		want string
	}{
		{Location{File: "counter.go", Line: 14}, "counter.go:14"},
		{Location{File: "store/store.go", Line: 13}, "store/store.go:13"},
		{Location{File: "./buf.go", Line: 10}, "buf.go:10"},
		{Location{File: "/tmp/cap/race/counter.go", Line: 14}, "counter.go:14"},
		{Location{File: `C:\x\counter.go`, Line: 3}, "counter.go:3"},
		{Location{File: "../other/x.go", Line: 1}, "x.go:1"},
		{Location{File: "store/store.go"}, "store/store.go"},
		{Location{}, "an unknown place"},
	}
	for _, tt := range tests {
		if got := where(tt.l); got != tt.want {
			t.Errorf("where(%+v): got %q, want %q", tt.l, got, tt.want)
		}
	}
}
