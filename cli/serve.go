package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/site"
)

// defaultAddr is where serve listens unless told otherwise; when the port is
// taken, serve picks a free one.
const defaultAddr = "127.0.0.1:8321"

func (a *app) cmdServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", defaultAddr, "the address to listen on (127.0.0.1:0 picks a free port)")
	noOpen := fs.Bool("no-open", false, "do not open a browser")
	remote := fs.Bool("allow-remote", false, "allow an address other computers can reach (they can then run code here)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("usage: workbook serve [--addr 127.0.0.1:PORT] [--no-open] [--allow-remote]")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usagef("serve: --addr %q is not HOST:PORT", *addr)
	}
	loopback := host == "localhost"
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
	}
	if !loopback && !*remote {
		return usagef("serve: %s is not a loopback address, and anyone who can reach it could run code on this computer; add --allow-remote if that is what you want", host)
	}
	ws, err := a.workspace()
	if err != nil {
		return err
	}
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	lessonList, err := lessons.Embedded()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil && *addr == defaultAddr && errors.Is(err, syscall.EADDRINUSE) {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv, err := site.New(site.Config{
		Catalog:   a.cat,
		Lessons:   lessonList,
		Workspace: ws,
		Token:     site.NewToken(),
		Remote:    !loopback,
		Check: func(ctx context.Context, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
			err := waitWarm(ctx, r, func(done, total int) {
				sink.Emit(runner.Event{Type: runner.TypeOutput, Stream: runner.Note, Text: warmWaitMessage(done, total) + "\n"})
			})
			if err != nil {
				return runner.Result{}, err
			}
			return ws.Check(ctx, r, ex, sink)
		},
		Run:  r.Run,
		Warm: func() (int, int, bool) { return warmProgress(r) },
	})
	if err != nil {
		return err
	}
	url := fmt.Sprintf("http://%s/?token=%s", urlHost(ln.Addr().(*net.TCPAddr), loopback), srv.Token())
	fmt.Fprintf(a.stdout, "Workbook: %s\n", url)
	if !loopback {
		fmt.Fprintf(a.stderr, "Warning: listening on %s: anyone who can reach it and has the link can run code on this computer.\n", ln.Addr())
	}
	fmt.Fprintf(a.stderr, "Workspace: %s. Press Ctrl-C to stop.\n", ws.Root)
	if !a.warmed(r) {
		a.startWarm(a.stderr)
	}
	if !*noOpen {
		openBrowser(url)
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err = <-served:
	case <-a.ctx.Done():
	}
	// Runs first: their process groups are killed and their work dirs removed.
	srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = hs.Shutdown(ctx)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(a.stderr, "Stopped; nothing is left running.")
	return nil
}

// urlHost is the host:port of the URL to print.
func urlHost(addr *net.TCPAddr, loopback bool) string {
	host := addr.IP.String()
	switch {
	case loopback && addr.IP.To4() == nil:
		host = "[" + host + "]"
	case addr.IP.IsUnspecified():
		if h, err := os.Hostname(); err == nil {
			host = h
		}
	}
	return fmt.Sprintf("%s:%d", host, addr.Port)
}

// openBrowser opens url in the default browser, if there is one; it does not wait.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
