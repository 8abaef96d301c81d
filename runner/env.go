package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// MinGo is the oldest Go release the exercises are written for.
const MinGo = "1.26"

// EnvError is a problem with the learner's machine, not with their code: no Go,
// a Go too old, no C compiler for -race. Its message says what to install.
type EnvError struct{ Msg string }

func (e *EnvError) Error() string { return e.Msg }

// passThrough lists the `go env` settings a check inherits from the learner's
// Go environment, so that it uses their caches, proxy and C compiler.
var passThrough = []string{
	"GOROOT", "GOPATH", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY", "GOSUMDB",
	"GONOSUMDB", "GONOPROXY", "GOPRIVATE", "GOINSECURE", "GOVCS", "GOAMD64", "GOARM64",
	"CGO_ENABLED", "CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS",
	"AR", "PKG_CONFIG",
}

// GoEnv is the learner's Go toolchain, resolved once.
type GoEnv struct {
	Go      string            // absolute path of the go command
	Version string            // e.g. "go1.26.8"
	Vars    map[string]string // go env -json
}

// ResolveGo finds the go command and reads its environment with `go env -json`.
func ResolveGo(ctx context.Context) (*GoEnv, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, &EnvError{"the Go toolchain is not on your PATH: install Go " + MinGo + " or newer from https://go.dev/dl/ and make sure `go version` works in this shell."}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "env", "-json")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &EnvError{fmt.Sprintf("`go env -json` failed (%v): %s", err, strings.TrimSpace(stderr.String()))}
	}
	g := &GoEnv{Go: goCmd}
	if err := json.Unmarshal(out, &g.Vars); err != nil {
		return nil, fmt.Errorf("read go env: %w", err)
	}
	g.Version = g.Vars["GOVERSION"]
	return g, nil
}

// Preflight returns an *EnvError if the toolchain cannot run the checks: a Go
// older than MinGo, or -race without cgo or a C compiler.
func (g *GoEnv) Preflight() error {
	if err := g.CheckVersion(); err != nil {
		return err
	}
	if g.Vars["CGO_ENABLED"] != "1" {
		return &EnvError{"the race detector needs cgo, and CGO_ENABLED is 0: run `go env -w CGO_ENABLED=1` and install a C compiler (on Debian or Ubuntu: `sudo apt install gcc`)."}
	}
	cc := strings.Fields(g.Vars["CC"])
	if len(cc) == 0 {
		cc = []string{"gcc"}
	}
	if _, err := exec.LookPath(cc[0]); err != nil {
		return &EnvError{fmt.Sprintf("the race detector needs a C compiler and %q is not installed: install gcc (on Debian or Ubuntu: `sudo apt install gcc`; on macOS: `xcode-select --install`).", cc[0])}
	}
	return nil
}

// CheckVersion returns an *EnvError if the toolchain is older than MinGo.
func (g *GoEnv) CheckVersion() error {
	if !goAtLeast(g.Version, MinGo) {
		return &EnvError{fmt.Sprintf("the exercises need Go %s or newer, and `go` is %s: install a newer Go from https://go.dev/dl/.", MinGo, g.Version)}
	}
	return nil
}

// Environ returns the environment variables of a check's go commands.
func (g *GoEnv) Environ() []string {
	var env []string
	for _, k := range passThrough {
		if v := g.Vars[k]; v != "" {
			env = append(env, k+"="+v)
		}
	}
	// GODEBUG and GOEXPERIMENT only matter when the learner set them in their shell.
	for _, k := range []string{"GODEBUG", "GOEXPERIMENT", "LANG", "LC_ALL"} {
		if v := os.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return append(env,
		"GOENV=off",  // the settings above are already resolved; $HOME is not the learner's
		"GOWORK=off", // a go.work around the cache dir must not capture the check
		"GOTOOLCHAIN=local",
		"GORACE=atexit_sleep_ms=0", // a passing race binary otherwise sleeps 1s at exit
		"GOTRACEBACK=single",       // Go's default; testscript's "system" buries the panic in runtime frames
	)
}

// goAtLeast reports whether version (like "go1.26.8" or "go1.27rc1") is at least
// min (like "1.26").
func goAtLeast(version, min string) bool {
	v := strings.TrimPrefix(version, "go")
	// Development toolchains ("devel go1.27-abcdef") are assumed new enough.
	if strings.HasPrefix(version, "devel") {
		return true
	}
	parse := func(s string) (int, int, error) {
		s, _, _ = strings.Cut(s, "-")
		for _, pre := range []string{"rc", "beta"} {
			s, _, _ = strings.Cut(s, pre)
		}
		parts := strings.SplitN(s, ".", 3)
		if len(parts) < 2 {
			return 0, 0, errors.New("bad version")
		}
		major, err1 := strconv.Atoi(parts[0])
		minor, err2 := strconv.Atoi(parts[1])
		return major, minor, errors.Join(err1, err2)
	}
	vMaj, vMin, err := parse(v)
	if err != nil {
		return false
	}
	mMaj, mMin, _ := parse(min)
	return vMaj > mMaj || vMaj == mMaj && vMin >= mMin
}
