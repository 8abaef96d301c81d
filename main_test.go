package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-blindspots/workbook/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"workbook": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts drives the workbook command end to end: testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	goEnv := map[string]string{}
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	for i, v := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		goEnv[[]string{"GOCACHE", "GOMODCACHE", "GOPATH"}[i]] = v
	}
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// The learner's caches, so checks are as fast as theirs; our own
			// cache for check work dirs, inside $WORK.
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("REPO", repo)
			env.Setenv("NO_COLOR", "1")
			env.Setenv("WORKBOOK_NO_WARM", "1") // warm.txtar tests warming itself
			// The directory testscript put the workbook command in, for
			// scripts that replace PATH.
			bin, _, _ := strings.Cut(env.Getenv("PATH"), string(os.PathListSeparator))
			env.Setenv("WORKBOOK_BIN", bin)
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits":    cmdExits,
			"httpget":  cmdHTTPGet,
			"httpwait": cmdHTTPWait,
		},
	})
}

// cmdExits runs a command and asserts its exit status: `exits N command args...`.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("usage: exits STATUS command [args...]: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		got = exitErr.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdHTTPWait fetches a URL until its body matches a regular expression:
// `httpwait URL|@FILE REGEXP`, for state that arrives from another process
// (a learner's push reaching the room). It gives up after two minutes,
// showing the last body: what it waits for takes milliseconds.
func cmdHTTPWait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: httpwait URL|@FILE REGEXP")
	}
	url := urlArg(ts, args[0])
	re, err := regexp.Compile(args[1])
	if err != nil {
		ts.Fatalf("httpwait: %v", err)
	}
	var last string
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
		if err != nil {
			last = err.Error()
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		last = fmt.Sprintf("%d\n%s", resp.StatusCode, body)
		if resp.StatusCode == http.StatusOK && re.Match(body) {
			fmt.Fprintf(ts.Stdout(), "%s", body)
			return
		}
	}
	ts.Fatalf("httpwait %s: no match for %s in two minutes; the last answer:\n%s", url, args[1], last)
}

// urlArg is a URL argument: a URL, or @FILE for the first http:// URL in FILE.
func urlArg(ts *testscript.TestScript, arg string) string {
	name, ok := strings.CutPrefix(arg, "@")
	if !ok {
		return arg
	}
	m := regexp.MustCompile(`http://\S+`).FindString(ts.ReadFile(name))
	if m == "" {
		ts.Fatalf("no URL in %s", name)
	}
	return m
}

// cmdHTTPGet fetches a URL as a browser would (keeping cookies, following
// redirects) and prints the status and the body: `httpget URL`. The URL may be
// given as @FILE, the first http:// URL in that file.
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: httpget URL|@FILE")
	}
	url := urlArg(ts, args[0])
	jar, _ := cookiejar.New(nil)
	resp, err := (&http.Client{Jar: jar, Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		ts.Fatalf("httpget: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Fprintf(ts.Stdout(), "%d\n%s", resp.StatusCode, body)
	if failed := resp.StatusCode >= 400; failed != neg {
		ts.Fatalf("httpget %s: status %d", url, resp.StatusCode)
	}
}
