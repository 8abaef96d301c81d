package cli

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/site"
)

// defaultAddr is where serve listens unless told otherwise; when the port is
// taken, serve picks a free one.
const defaultAddr = "127.0.0.1:8321"

// The site's HTTP bounds: headers must arrive in time and be small, and an
// idle keep-alive connection is closed, so that idle or slow clients cannot
// hold the server's connections open.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 64 << 10
)

func (a *app) cmdServe(_ []string) error {
	addr := a.flags.addr
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("serve: --addr %q is not HOST:PORT", exercises.Shorten(addr))
	}
	loopback := host == "localhost"
	var hosts []string
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
		// 127.0.0.2 and its like are loopback too: the printed URL names it.
		hosts = append(hosts, ip.String())
	}
	if !loopback && !a.flags.allowRemote {
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
	ln, err := net.Listen("tcp", addr)
	if err != nil && addr == defaultAddr && errors.Is(err, syscall.EADDRINUSE) {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv, err := site.New(site.Config{
		Catalog:   a.cat,
		Lessons:   lessonList,
		Workspace: ws,
		Runner:    r,
		Token:     site.NewToken(),
		Remote:    !loopback,
		Hosts:     hosts,
		Room:      a.room,
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
	go a.startWarm(ws, a.stderr)()
	a.room.Start() // sends what waits for a workshop room, and what comes
	if !a.flags.noOpen {
		if cleanup, err := openBrowser(url); err == nil {
			defer cleanup()
		}
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err = <-served:
	case <-a.ctx.Done():
	}
	// Runs first: their processes are killed and their work dirs removed.
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

// openBrowser opens url in the default browser, if there is one, without
// putting the token in any process's arguments (which every user of the
// computer can read, and which the browser keeps for its whole life): it
// writes a page that only this user can read and that redirects to url, and
// opens that file, as Jupyter does. cleanup removes the file.
func openBrowser(url string) (cleanup func(), err error) {
	opener := browserOpener()
	if opener == "" {
		return nil, errors.New("no browser opener")
	}
	dir, err := os.MkdirTemp("", "workbook-open-")
	if err != nil {
		return nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	page := filepath.Join(dir, "open.html")
	body := fmt.Sprintf("<!doctype html>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" content=\"0;url=%s\">\n<title>Go Blind Spots Workbook</title>\n<p><a href=\"%s\">Open the workbook</a></p>\n",
		html.EscapeString(url), html.EscapeString(url))
	if err := os.WriteFile(page, []byte(body), 0o600); err != nil {
		cleanup()
		return nil, err
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", page)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", page)
	default:
		cmd = exec.Command(opener, page)
	}
	if err := cmd.Start(); err != nil {
		cleanup()
		return nil, err
	}
	go cmd.Wait()
	return cleanup, nil
}
