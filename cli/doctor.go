package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/offline"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/script"
	"github.com/go-blindspots/workbook/warm"
)

// doctorItem is one line of `workbook doctor`: a thing checked, whether it
// is well, and what it found or what to do.
type doctorItem struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	// Warn marks a problem that does not stop the workbook (a cold cache, a
	// busy port): the line says what to do, and doctor still exits 0.
	Warn bool   `json:"warn,omitempty"`
	Info string `json:"info"`
}

// errDoctor makes doctor exit 2 after it printed what is wrong.
var errDoctor = errors.New("some checks failed")

// cmdDoctor checks ahead of time what the workbook needs, one item per line.
func (a *app) cmdDoctor(_ []string) error {
	var items []doctorItem
	add := func(name string, ok bool, info string) {
		items = append(items, doctorItem{Name: name, OK: ok, Info: info})
	}
	warn := func(name, info string) {
		items = append(items, doctorItem{Name: name, OK: true, Warn: true, Info: info})
	}

	g, err := runner.ResolveGo(a.ctx)
	var r *runner.Runner
	switch {
	case err != nil:
		add("go", false, err.Error())
	default:
		add("go", true, fmt.Sprintf("%s at %s (GOTOOLCHAIN=local for checks)", g.Version, g.Go))
		if err := g.CheckVersion(); err != nil {
			add("go version", false, err.Error())
		} else if r, err = a.newRunner(); err != nil {
			add("cgo and a C compiler", false, err.Error())
			r = nil
		}
	}
	if r != nil {
		ok, info := a.doctorRace(r)
		add("race detector", ok, info)
		ok, info = a.doctorModules(r)
		add("offline modules", ok, info)
		if warm.Done(r, a.cat) {
			add("build cache", true, "warm for this Go and these exercises: first checks are fast")
		} else if st, running := warm.Progress(r); running {
			warn("build cache", fmt.Sprintf("warming now (%d of %d done); checks do not wait for it", st.Done, st.Total))
		} else {
			warn("build cache", "not warmed yet: run `workbook warm` once (a few minutes) so that first checks take a second, not half a minute")
		}
	}
	if ws, err := a.findWorkspace(); err != nil {
		warn("workspace", "none found here: `workbook init` makes one (`go run . serve` in a clone does it by itself)")
	} else {
		add("workspace", true, ws.Root)
		if ok, info := doctorFileEvents(ws.Root); ok {
			add("file events", true, info)
		} else {
			warn("file events", info)
		}
	}
	if ln, err := net.Listen("tcp", defaultAddr); err != nil {
		warn("port", fmt.Sprintf("%s is taken (%v): serve will pick another free port", defaultAddr, err))
	} else {
		ln.Close()
		add("port", true, defaultAddr+" is free for `workbook serve`")
	}
	if opener := browserOpener(); opener == "" {
		warn("browser", "no program to open a browser was found: open the URL that `workbook serve` prints yourself")
	} else {
		add("browser", true, "opened with "+opener)
	}

	bad := 0
	for _, it := range items {
		if !it.OK {
			bad++
		}
	}
	if a.flags.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(items); err != nil {
			return err
		}
	} else {
		st := markdown.Style{On: a.color}
		for _, it := range items {
			mark := st.Green("ok  ")
			switch {
			case !it.OK:
				mark = st.Red("FIX ")
			case it.Warn:
				mark = st.Yellow("note")
			}
			fmt.Fprintf(a.stdout, "%s %-22s %s\n", mark, it.Name, it.Info)
		}
		if bad == 0 {
			fmt.Fprintln(a.stdout, st.Green("\nThis computer is ready for the workbook."))
		} else {
			fmt.Fprintf(a.stdout, "\n%s\n", st.Red(fmt.Sprintf("%d thing(s) to fix before the workbook can check your code.", bad)))
		}
	}
	if bad > 0 {
		return errDoctor
	}
	return nil
}

// doctorRace proves that -race works: it links and runs a tiny test under
// the race detector, as every race check does.
func (a *app) doctorRace(r *runner.Runner) (bool, string) {
	res := r.Run(a.ctx, runner.Check{
		Name:       "doctor-race",
		Background: true,
		Script:     []byte("go test -race -count=1 .\n"),
		Files: map[string][]byte{
			"go.mod":         []byte("module doctor\n\ngo 1.26\n"),
			"doctor_test.go": []byte("package doctor\n\nimport \"testing\"\n\nfunc TestRace(t *testing.T) {\n\tdone := make(chan bool)\n\tgo func() { done <- true }()\n\t<-done\n}\n"),
		},
	}, runner.SinkFunc(func(runner.Event) {}))
	if !res.Pass {
		return false, "a tiny `go test -race` does not build or run: " + res.Message
	}
	return true, fmt.Sprintf("a tiny `go test -race` links and runs (%s)", res.Duration.Round(10*time.Millisecond))
}

// doctorModules proves that the modules checks need come from the workbook
// itself: it builds a test that imports them with GOPROXY=off and an empty
// module cache, as on a laptop with no network.
func (a *app) doctorModules(r *runner.Runner) (bool, string) {
	mods := offline.Modules()
	var req, imports strings.Builder
	for _, mv := range mods {
		path, version, _ := strings.Cut(mv, "@")
		fmt.Fprintf(&req, "require %s %s\n", path, version)
		fmt.Fprintf(&imports, "\t_ %q\n", path)
	}
	sum := a.cat.GoSum()
	cache, err := os.MkdirTemp("", "workbook-doctor-modcache")
	if err != nil {
		return false, "cannot make a temporary directory: " + err.Error()
	}
	defer func() {
		// The go command makes the module cache read-only.
		_ = filepath.Walk(cache, func(p string, info os.FileInfo, err error) error {
			if err == nil {
				_ = os.Chmod(p, 0o777)
			}
			return nil
		})
		os.RemoveAll(cache)
	}()
	res := r.Run(a.ctx, runner.Check{
		Name:       "doctor-modules",
		Background: true,
		// As on a laptop with no network: the workbook's own proxy, then nothing.
		Script: []byte("env " + script.Quote("GOPROXY="+r.ModProxy+",off") + "\nenv " + script.Quote("GOMODCACHE="+cache) + "\ngo vet .\n"),
		Files: map[string][]byte{
			"go.mod":  []byte("module doctor\n\ngo 1.26\n\n" + req.String()),
			"go.sum":  sum,
			"deps.go": []byte("package doctor\n\nimport (\n" + imports.String() + ")\n"),
		},
	}, runner.SinkFunc(func(runner.Event) {}))
	if !res.Pass {
		return false, "the modules that checks need do not build offline: " + res.Message
	}
	return true, fmt.Sprintf("%s ship inside the workbook: checks work with no network", strings.Join(mods, ", "))
}

// doctorFileEvents writes a file in the workspace and waits, briefly, for
// its file event: WSL on /mnt/c and network mounts often never send them.
func doctorFileEvents(root string) (bool, string) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return false, fmt.Sprintf("file events are not available (%v): use `workbook watch --poll`", err)
	}
	defer w.Close()
	dir, err := os.MkdirTemp(filepath.Join(root, ".workbook"), "doctor-")
	if err != nil {
		return false, "cannot write in the workspace: " + err.Error()
	}
	defer os.RemoveAll(dir)
	if err := w.Add(dir); err != nil {
		return false, fmt.Sprintf("file events are not available here (%v): use `workbook watch --poll`", err)
	}
	probe := filepath.Join(dir, "probe.go")
	if err := os.WriteFile(probe, []byte("package probe\n"), 0o666); err != nil {
		return false, "cannot write in the workspace: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for {
		select {
		case ev := <-w.Events:
			if filepath.Base(ev.Name) == "probe.go" {
				return true, "saves in the workspace arrive as file events: `workbook watch` sees them at once"
			}
		case <-ctx.Done():
			return false, "a save in the workspace did not arrive as a file event (WSL on /mnt/c and network drives lose them): use `workbook watch --poll`"
		}
	}
}

// browserOpener returns the program serve opens a browser with, or "".
func browserOpener() string {
	switch runtime.GOOS {
	case "darwin":
		return "open"
	case "windows":
		return "rundll32 url.dll,FileProtocolHandler"
	}
	for _, p := range []string{"xdg-open", "wslview", "sensible-browser"} {
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	return ""
}
