package diagnostics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// envTests are the captured outputs of testdata/env/ (see testdata/README.md for
// how each was made) and what Environment must say about them: words the
// sentence must contain, or nothing for an output that is the learner's.
var envTests = []struct {
	name string
	want []string // substrings of the sentence; nil: not an environment failure
}{
	// Modules.
	{"proxy_off_test", []string{"go.uber.org/goleak v1.3.0", "GOPROXY=off"}},
	{"proxy_off_vet", []string{"go.uber.org/goleak v1.3.0", "GOPROXY=off"}},
	{"proxy_dns_test", []string{"could not download the module go.uber.org/goleak v1.3.0", "no such host", "GOPROXY"}},
	{"proxy_refused_test", []string{"could not download", "connection refused"}},
	{"proxy_direct_test", []string{"could not download", "no such host"}},
	{"sumdb_dns_test", []string{"checksum database", "go.uber.org/goleak@v1.3.0", "no such host", "GOSUMDB=off"}},
	{"gosum_missing_test", []string{"go.sum file has no checksum", "go.uber.org/goleak", "go mod tidy"}},
	{"checksum_mismatch_test", []string{"go.uber.org/goleak@v1.3.0", "checksum mismatch", "go clean -modcache"}},
	// The Go installation.
	{"goroot_missing_test", []string{"GOROOT is set to /nonexistent", "unset GOROOT"}},
	{"goroot_empty_test", []string{"incomplete", `"vet"`, "reinstall Go"}},
	{"goroot_notools_test", []string{"incomplete", `"vet"`}},
	{"goroot_nosrc_test", []string{"standard library package sync", "/tmp/envcap/nosrc/src/sync", "reinstall Go"}},
	{"goroot_nosrc_build", []string{"standard library package sync"}},
	{"go_too_old_test", []string{"Go 1.99 or newer", "installed Go is 1.26.8", "go.dev/dl"}},
	// cgo and the C compiler, for -race.
	{"race_nocgo_test", []string{"needs cgo", "CGO_ENABLED=1", "gcc"}},
	{"race_no_gcc_test", []string{"C compiler", "gcc is not installed"}},
	{"race_cc_missing_test", []string{`CC names "nonexistent-cc"`, "unset CC"}},
	// Disk, caches and limits.
	{"disk_full_tmp_test", []string{"disk is full", "go clean -cache"}},
	{"disk_full_gocache_test", []string{"cannot load the standard library", "crypto/internal/fips140/aes", "full disk", "go clean -cache"}},
	{"disk_full_gocache_race_test", []string{"cannot load the standard library", "runtime/race", "full disk"}},
	{"gocache_denied_test", []string{"build cache at /tmp/envcap/rocache", "permission denied", "GOCACHE"}},
	{"gocache_file_test", []string{"build cache at /tmp/envcap/cachefile", "not a directory", "GOCACHE"}},
	{"gocache_readonly_test", []string{"standard library package testing", "build cache", "go clean -cache"}},
	{"gomodcache_denied_test", []string{"module cache", "/tmp/envcap/romod/cache: permission denied", "GOMODCACHE"}},
	{"nofile_pipe_test", []string{"too many open files", "ulimit -n"}},
	{"nofile_fork_test", []string{"too many open files", "ulimit -n"}},
	{"nofile_gomod_test", []string{"too many open files", "ulimit -n"}},
	// Killed from outside.
	{"killed_test", []string{"killed from outside", "out-of-memory killer"}},
	{"killed_test_v", []string{"killed from outside"}},
	{"killed_run", []string{"killed from outside"}},

	// The learner's own failures, which look a little like the machine's.
	{"killed_after_stack_test", nil},           // the program printed its goroutines, then killed itself
	{"oom_go_test", nil},                       // Go's own "fatal error: out of memory" under a memory bound
	{"learner_refused_test", nil},              // a test's own "dial tcp ...: connection refused"
	{"learner_nohost_test", nil},               // a test's own "no such host"
	{"learner_nofile_test", nil},               // a test's own "too many open files"
	{"learner_perm_test", nil},                 // a test's own "permission denied"
	{"learner_typo_import_test", nil},          // "package sync/atomics is not in std": a typo
	{"learner_unknown_module_test", nil},       // importing a module go.mod does not require, GOPROXY=off
	{"learner_unknown_module_nomod_test", nil}, // the same without -mod=mod
}

func envFixture(t testing.TB, name string) (stdout, stderr string) {
	t.Helper()
	return fixture(t, filepath.Join("env", name))
}

func TestEnvironment(t *testing.T) {
	for _, tt := range envTests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := envFixture(t, tt.name)
			got, ok := Environment(stdout, stderr)
			if tt.want == nil {
				if ok {
					t.Fatalf("got %q, want no environment failure: this is the learner's", got)
				}
				return
			}
			if !ok {
				t.Fatalf("got no environment failure, want one saying %q", tt.want)
			}
			checkSentence(t, got)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

// TestEnvironmentFixturesListed checks that every output in testdata/env/ is in
// envTests, so a new capture cannot go untested.
func TestEnvironmentFixturesListed(t *testing.T) {
	listed := map[string]bool{}
	for _, tt := range envTests {
		listed[tt.name] = true
	}
	names, err := filepath.Glob(filepath.Join("testdata", "env", "*.stdout"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if name := strings.TrimSuffix(filepath.Base(n), ".stdout"); !listed[name] {
			t.Errorf("got testdata/env/%s with no entry in envTests, want one", name)
		}
	}
}

// TestEnvironmentLearnerFixtures checks that no output of the learner's code in
// testdata/ — compile errors, vet, test failures, races, panics, timeouts, leaks —
// is taken for the machine's.
func TestEnvironmentLearnerFixtures(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.stdout"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(filepath.Base(n), ".stdout")
		stdout, stderr := fixture(t, name)
		if got, ok := Environment(stdout, stderr); ok {
			t.Errorf("%s: got %q, want no environment failure", name, got)
		}
	}
}

// checkSentence checks the promise of Environment's sentence: one line, one
// sentence, starting with a capital and ending with a period.
func checkSentence(t *testing.T, s string) {
	t.Helper()
	if s == "" || strings.ContainsAny(s, "\r\n") {
		t.Errorf("got %q, want one non-empty line", s)
		return
	}
	if !strings.HasSuffix(s, ".") || strings.Count(s, ". ") > 0 {
		t.Errorf("got %q, want one sentence ending with a period", s)
	}
	if first := s[0]; !(first >= 'A' && first <= 'Z') && !strings.HasPrefix(s, "GOROOT") {
		t.Errorf("got %q, want it to start with a capital", s)
	}
}

func TestEnvironmentSynthetic(t *testing.T) {
	tests := []struct {
		name, stdout, stderr string
		want                 string // a substring; "" for no environment failure
	}{
		{"empty", "", "", ""},
		{"ok", "ok  \tx\t0.01s\n", "", ""},
		{"killed with a panic before", "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:3 +0x1\nsignal: killed\n", "", ""},
		{"killed with a race report before", raceSep + "\n" + raceHeader + "\n" + raceSep + "\nsignal: killed\n", "", ""},
		{"killed in a message is not the line", "    x_test.go:3: signal: killed\n", "", ""},
		{"linker without gcc", "", "# x.test\n/usr/local/go/pkg/tool/linux_amd64/link: running gcc failed: exec: \"gcc\": executable file not found in $PATH\n", "gcc is not installed"},
		{"CRLF", "", "go: -race requires cgo; enable cgo by setting CGO_ENABLED=1\r\n", "needs cgo"},
		{"read-only cache", "", "failed to initialize build cache at /ro: mkdir /ro/00: read-only file system\n", "read-only file system"},
		{"disk quota", "", "go: writing go.mod cache: write /m/cache/x: disk quota exceeded\n", "disk is full"},
		{"tls", "", "x.go:3:2: example.com/m@v1.0.0: Get \"https://proxy/example.com/m/@v/v1.0.0.zip\": tls: failed to verify certificate: x509: certificate signed by unknown authority\n", "certificate"},
		{"a test's own too many open files after go: prefix text", "    x_test.go:9: go: too many open files\n", "", ""},
	}
	for _, tt := range tests {
		got, ok := Environment(tt.stdout, tt.stderr)
		switch {
		case tt.want == "" && ok:
			t.Errorf("%s: got %q, want no environment failure", tt.name, got)
		case tt.want != "" && !ok:
			t.Errorf("%s: got no environment failure, want one containing %q", tt.name, tt.want)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s: got %q, want it to contain %q", tt.name, got, tt.want)
		}
		if ok {
			checkSentence(t, got)
		}
	}
}

// envSeeds adds the captured outputs of testdata/env/ to a fuzz target.
func envSeeds(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "env", "*.stdout"))
	for _, n := range names {
		stdout, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		stderr, err := os.ReadFile(strings.TrimSuffix(n, ".stdout") + ".stderr")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(stdout), string(stderr))
	}
}
