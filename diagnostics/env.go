package diagnostics

import (
	"regexp"
	"strings"
)

// Environment says whether the output of a go command shows a problem with the
// machine rather than with the learner's code — a module that cannot be
// downloaded, a broken Go installation, no C compiler for -race, a full disk, an
// unwritable cache, a test binary killed from outside, too few file descriptors —
// and if so returns one sentence for a person saying what to fix. stdout and
// stderr are the command's two streams, as for Parser.Parse.
//
// It looks only at what the go command itself prints (its "go: " lines, the
// errors under a "# pkg" header, "signal: killed"), never at a test's own
// messages: a learner's test that fails with "connection refused" or "too many
// open files" is the learner's failure.
func Environment(stdout, stderr string) (sentence string, ok bool) {
	e := newEnvOutput(stdout, stderr)
	for _, check := range []func(*envOutput) string{
		diskFull, // first: a full disk breaks everything else in odd ways
		tooManyFiles,
		unwritableCache,
		brokenGOROOT,
		goTooOld,
		noCgo,
		moduleDownload,
		killedFromOutside,
	} {
		if s := check(e); s != "" {
			return s, true
		}
	}
	return "", false
}

// envOutput is the output of one go command, as lines.
type envOutput struct {
	lines  []string // stderr's lines, then stdout's
	module string   // the module of the last "go: downloading M V" line, "M V"; "" if none
}

var downloadingRE = regexp.MustCompile(`^go: downloading (\S+) (\S+)$`)

func newEnvOutput(stdout, stderr string) *envOutput {
	e := &envOutput{}
	for _, text := range []string{stderr, stdout} {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", " ") // a sentence is one line
		for _, l := range strings.Split(text, "\n") {
			if l == "" {
				continue
			}
			e.lines = append(e.lines, l)
			if m := downloadingRE.FindStringSubmatch(l); m != nil {
				e.module = m[1] + " " + m[2]
			}
		}
	}
	return e
}

// find returns the submatches of the first line that re matches, or nil.
func (e *envOutput) find(re *regexp.Regexp) []string {
	for _, l := range e.lines {
		if m := re.FindStringSubmatch(l); m != nil {
			return m
		}
	}
	return nil
}

// isGoLine says whether a line is the go command's or one of its tools' own words,
// not a test's: "go: ...", "cgo: ...", "failed to initialize build cache ...",
// "/usr/local/go/pkg/tool/linux_amd64/link: ...".
func isGoLine(l string) bool {
	return strings.HasPrefix(l, "go: ") || strings.HasPrefix(l, "cgo: ") ||
		strings.HasPrefix(l, "failed to initialize build cache") ||
		(strings.Contains(l, "/pkg/tool/") && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t"))
}

// theModule names the module being downloaded for a sentence: "the module
// go.uber.org/goleak v1.3.0", or "a module" when the output does not say.
func (e *envOutput) theModule() string {
	if e.module == "" {
		return "a module this check needs"
	}
	return "the module " + e.module
}

// A full disk shows up as ENOSPC, wherever it hits: the linker writing the test
// binary, a test writing a file.
var noSpaceRE = regexp.MustCompile(`no space left on device|disk quota exceeded`)

func diskFull(e *envOutput) string {
	if e.find(noSpaceRE) == nil {
		return ""
	}
	return "The disk is full (no space left on device): free some space on the disk that holds the Go build cache and your temporary directory (see `go env GOCACHE GOTMPDIR` and $TMPDIR), for example with `go clean -cache`, and check again."
}

var tooManyFilesRE = regexp.MustCompile(`too many open files`)

func tooManyFiles(e *envOutput) string {
	for _, l := range e.lines {
		if isGoLine(l) && tooManyFilesRE.MatchString(l) {
			return "The go command ran out of file descriptors (too many open files): raise the limit with `ulimit -n 4096` in the shell you start the workbook from, and check again."
		}
	}
	return ""
}

var (
	// buildCacheRE matches "failed to initialize build cache at /x: mkdir /x/00: permission denied".
	buildCacheRE = regexp.MustCompile(`^(?:go: )?failed to initialize build cache at (\S+): (.*)$`)
	// modCacheRE matches "go: writing go.mod cache: mkdir /x/cache: permission denied" and
	// the like: a go command line about a file it cannot write.
	modCacheRE = regexp.MustCompile(`^go: (?:writing|creating|extracting|downloading|could not create)[^:]*(?:cache|module)[^:]*: (?:[a-z]+ )?(\S+?): (permission denied|read-only file system|not a directory)$`)
)

func unwritableCache(e *envOutput) string {
	if m := e.find(buildCacheRE); m != nil {
		return "The go command cannot use its build cache at " + m[1] + " (" + lastError(m[2]) + "): set GOCACHE to a directory you can write to (`go env -w GOCACHE=$HOME/.cache/go-build`), and check again."
	}
	if m := e.find(modCacheRE); m != nil {
		return "The go command cannot write to its module cache (" + m[1] + ": " + m[2] + "): set GOMODCACHE to a directory you can write to (`go env -w GOMODCACHE=$HOME/go/pkg/mod`), and check again."
	}
	return ""
}

// lastError returns the last ": "-separated part of an error: "permission denied".
func lastError(err string) string {
	if i := strings.LastIndex(err, ": "); i >= 0 {
		return err[i+2:]
	}
	return err
}

var (
	noGOROOTRE = regexp.MustCompile(`^go: cannot find GOROOT directory: (.+)$`)
	noToolRE   = regexp.MustCompile(`^go: no such tool "([^"]+)"$`)
	// notInStdRE matches "counter.go:3:8: package sync is not in std (/usr/local/go/src/sync)".
	notInStdRE = regexp.MustCompile(`package (\S+) is not in std \((.+)\)$`)
	// stdNotFoundRE matches the go command failing to load the standard library
	// from a damaged cache: "crypto/subtle: /usr/local/go/src/crypto/cipher/cbc.go:19:2:
	// cannot find package", "runtime/race: package testmain: cannot find package".
	stdNotFoundRE = regexp.MustCompile(`^([a-z0-9]+)(?:/[a-z0-9_./]+)?: (?:\S+\.go:\d+:\d+|package \S+): cannot find package$`)
)

func brokenGOROOT(e *envOutput) string {
	if m := e.find(noGOROOTRE); m != nil {
		return "GOROOT is set to " + m[1] + ", which does not exist: unset GOROOT (or set it to your Go installation, see `go env GOROOT`) and check again."
	}
	if m := e.find(noToolRE); m != nil {
		return "The Go installation is incomplete (the go command has no \"" + m[1] + "\" tool): reinstall Go from https://go.dev/dl/, unset GOROOT if you set it, and check again."
	}
	for _, l := range e.lines {
		if m := notInStdRE.FindStringSubmatch(l); m != nil && stdPackages[m[1]] {
			// A typo ("sync/atomics") is not a package of the standard library, so it
			// does not get here; a package that is, and cannot be loaded, means the
			// installation or the cache it is indexed in is damaged.
			return "The go command cannot load the standard library package " + m[1] + " (from " + m[2] + "): the Go installation or its build cache is damaged or not writable: clear the cache with `go clean -cache` (or set GOCACHE to a new directory), reinstall Go from https://go.dev/dl/ if that does not help, and check again."
		}
		if m := stdNotFoundRE.FindStringSubmatch(l); m != nil && stdRoots[m[1]] {
			return "The go command cannot load the standard library (" + strings.TrimSuffix(l, ": cannot find package") + "): its build cache is damaged or on a full disk: free some disk space, clear the cache with `go clean -cache` (or set GOCACHE to a new directory), and check again."
		}
	}
	return ""
}

// tooOldRE matches "go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)".
var tooOldRE = regexp.MustCompile(`^go: (?:\S+: )?go\.mod requires go >= (\S+) \(running go (\S+?)[;)]`)

func goTooOld(e *envOutput) string {
	if m := e.find(tooOldRE); m != nil {
		return "This needs Go " + m[1] + " or newer and the installed Go is " + m[2] + ": install a newer Go from https://go.dev/dl/ and check again."
	}
	return ""
}

var (
	raceNeedsCgoRE = regexp.MustCompile(`^go: -race requires cgo`)
	// noCCRE matches `cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH`.
	noCCRE = regexp.MustCompile(`^cgo: C compiler "([^"]+)" not found`)
	// linkerCCRE matches the linker failing to run the C compiler for an external link.
	linkerCCRE = regexp.MustCompile(`/link: running (\S+) failed: exec: "[^"]+": executable file not found`)
)

func noCgo(e *envOutput) string {
	if e.find(raceNeedsCgoRE) != nil {
		return "The race detector needs cgo, which is off (CGO_ENABLED=0, or no C compiler was found when Go was set up): install a C compiler (gcc: `sudo apt install gcc` on Debian or Ubuntu, `xcode-select --install` on macOS), set CGO_ENABLED=1 (`go env -w CGO_ENABLED=1`), and check again."
	}
	m := e.find(noCCRE)
	if m == nil {
		m = e.find(linkerCCRE)
	}
	if m == nil {
		return ""
	}
	if m[1] == "gcc" || m[1] == "cc" || m[1] == "clang" {
		return "The race detector needs a C compiler, and " + m[1] + " is not installed or not on your PATH: install one (`sudo apt install gcc` on Debian or Ubuntu, `xcode-select --install` on macOS) and check again."
	}
	return "The race detector needs a C compiler, and CC names \"" + m[1] + "\", which is not installed or not on your PATH: unset CC (or set it to your C compiler with `go env -w CC=gcc`) and check again."
}

var (
	lookupOffRE      = regexp.MustCompile(`module lookup disabled by GOPROXY=off`)
	missingSumRE     = regexp.MustCompile(`missing go\.sum entry for module providing package (\S+)`)
	checksumRE       = regexp.MustCompile(`^verifying (\S+): checksum mismatch`)
	verifyingNetRE   = regexp.MustCompile(`verifying module: (\S+): .*(?:` + netErrors + `)`)
	moduleFetchNetRE = regexp.MustCompile(`(?:@v/|/@latest|unrecognized import path|@v[0-9][^:]*: Get |reading https?://).*(` + netErrors + `)`)
	// unknownModuleRE matches the learner importing a module that go.mod does not
	// require: that is the learner's code, whatever the network says.
	unknownModuleRE = regexp.MustCompile(`cannot find module providing package|no required module provides package`)
)

// netErrors are the network errors the go command reports when a download fails.
const netErrors = `no such host|connection refused|network is unreachable|i/o timeout|TLS handshake timeout|server misbehaving|x509: |connection reset|dial tcp`

func moduleDownload(e *envOutput) string {
	if m := e.find(checksumRE); m != nil {
		return "The download of " + m[1] + " does not match the checksum in go.sum (checksum mismatch): clear the module cache with `go clean -modcache`, check that GOPROXY points to a proxy you trust, and check again."
	}
	for _, l := range e.lines {
		if unknownModuleRE.MatchString(l) {
			continue
		}
		switch {
		case lookupOffRE.MatchString(l):
			return "The go command needs to download " + e.theModule() + " and downloads are turned off (GOPROXY=off): run the check once with network access, or set GOPROXY to a module proxy you can reach (a file:// one works offline), and check again."
		case missingSumRE.MatchString(l):
			m := missingSumRE.FindStringSubmatch(l)
			return "The go.sum file has no checksum for the module that provides " + m[1] + ", so the go command will not use it: run `go mod tidy` with network access in the exercise's directory, and check again."
		case verifyingNetRE.MatchString(l):
			m := verifyingNetRE.FindStringSubmatch(l)
			return "The go command could not reach the checksum database to verify " + m[1] + " (" + netError(l) + "): connect to the network, or set GOSUMDB=off if you trust your module proxy, and check again."
		case moduleFetchNetRE.MatchString(l):
			return "The go command could not download " + e.theModule() + " (" + netError(l) + "): connect to the network, or set GOPROXY to a module proxy you can reach, and check again."
		}
	}
	return ""
}

// netError names the network error of a line for a sentence: "no such host".
func netError(l string) string {
	for _, name := range []string{"no such host", "connection refused", "network is unreachable", "i/o timeout",
		"TLS handshake timeout", "server misbehaving", "connection reset"} {
		if strings.Contains(l, name) {
			return name
		}
	}
	if strings.Contains(l, "x509: ") {
		return "a certificate the go command does not trust"
	}
	return "a network error"
}

// crashLineRE matches what a Go program prints when it crashes by itself: the
// killing then comes after the learner's own failure.
var crashLineRE = regexp.MustCompile(`^(?:panic: |fatal error: |goroutine \d+ .*\[.*\]:$|` + raceHeader + `)`)

func killedFromOutside(e *envOutput) string {
	killed := false
	for _, l := range e.lines {
		if crashLineRE.MatchString(l) {
			return ""
		}
		if l == "signal: killed" {
			killed = true
		}
	}
	if !killed {
		return ""
	}
	return "The program was killed from outside (signal: killed), most often by the system's out-of-memory killer: close other programs or give the machine (or container) more memory, and check again."
}

// stdRoots are the first elements of the standard library's import paths.
var stdRoots = setOf(`archive arena bufio builtin bytes cmp compress container context crypto database
	debug embed encoding errors expvar flag fmt go hash html image index internal io iter log maps
	math mime net os path plugin reflect regexp runtime simd slices sort strconv strings structs sync
	syscall testing text time unicode unique unsafe vendor weak`)

// stdPackages are standard library packages a program is likely to import. It
// need not be complete: a package missing here is reported as the learner's
// compile error, which is what a typo in an import path is.
var stdPackages = setOf(`bufio bytes cmp container/heap container/list context crypto/rand crypto/sha256
	embed encoding/binary encoding/hex encoding/json errors expvar flag fmt hash hash/fnv io io/fs iter
	log log/slog maps math math/rand math/rand/v2 net net/http net/http/httptest net/url os os/exec
	os/signal path path/filepath reflect regexp runtime runtime/debug runtime/metrics runtime/pprof
	runtime/trace slices sort strconv strings sync sync/atomic syscall testing testing/synctest
	text/template time unicode unicode/utf8 unique unsafe weak`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
