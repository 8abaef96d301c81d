package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/guard"
	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/roomclient"
	"github.com/go-blindspots/workbook/site"
	"github.com/go-blindspots/workbook/workspace"
)

// The workshop room: `workbook room` on the lead's laptop, `join`, `leave`
// and `help-me` on the learners'.

// The room's default addresses: the join address on every interface, so
// that the LAN reaches it; the dashboard on loopback. Taken ports give way
// to free ones.
const (
	defaultRoomAddr      = ":8322"
	defaultDashboardAddr = "127.0.0.1:8323"
)

// roomWait bounds how long a learner's command waits for the room: to
// join, leave or raise a hand (roomCallWait), and at its end, to send what
// it queued (roomCloseWait; the rest stays queued).
const (
	roomCallWait  = 10 * time.Second
	roomCloseWait = 3 * time.Second
)

func (a *app) cmdRoom(_ []string) error {
	for _, name := range a.flags.exports {
		if !room.ValidExport(name) {
			return usagef("room: --export %q: name a .csv or a .json file", exercises.Shorten(name))
		}
	}
	if a.flags.stuckMinutes < 1 || a.flags.stuckChecks < 1 {
		return usagef("room: --stuck-minutes and --stuck-checks need a number of at least 1")
	}
	addr := a.flags.addr
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("room: --addr %q is not HOST:PORT", exercises.Shorten(addr))
	}
	joinLn, err := listen(addr, defaultRoomAddr, ":0")
	if err != nil {
		return fmt.Errorf("room: %w", err)
	}
	defer joinLn.Close()
	dashLn, err := listen(defaultDashboardAddr, defaultDashboardAddr, "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("room: %w", err)
	}
	defer dashLn.Close()

	loopback := isLoopback(host)
	joinURL := "http://" + joinHost(joinLn.Addr().(*net.TCPAddr))
	var list []room.Exercise
	for _, ex := range a.cat.List {
		list = append(list, room.Exercise{Name: ex.Name, Title: ex.Title, Topic: ex.Topic})
	}
	code := room.NewCode()
	srv, err := room.New(room.Config{
		Code: code, Token: guard.NewToken(), Exercises: list, JoinURL: joinURL, Editor: site.EditorBundle(),
		Stuck: room.Stuck{After: time.Duration(a.flags.stuckMinutes) * time.Minute, Checks: a.flags.stuckChecks},
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(a.stdout, "Join: workbook join %s %s\n", joinURL, code)
	fmt.Fprintf(a.stdout, "Dashboard: http://127.0.0.1:%d/?token=%s\n", dashLn.Addr().(*net.TCPAddr).Port, srv.Token())
	if !loopback {
		fmt.Fprintf(a.stderr, "Warning: the join address listens on %s: anyone on this network can reach it. The room takes only pushes with its code, runs no code, and answers learners with acknowledgements only; the dashboard stays on this computer.\n", joinLn.Addr())
	}
	fmt.Fprintln(a.stderr, "Learners run the Join line in their workspace. Press Ctrl-C to end the room.")

	joinSrv := &http.Server{Handler: srv.Join(), ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: 30 * time.Second,
		IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	dashSrv := &http.Server{Handler: srv.Dashboard(), ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	served := make(chan error, 2)
	go func() { served <- joinSrv.Serve(joinLn) }()
	go func() { served <- dashSrv.Serve(dashLn) }()
	select {
	case err = <-served:
	case <-a.ctx.Done():
	}
	srv.Close() // the dashboards' websockets end
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = joinSrv.Shutdown(ctx)
	_ = dashSrv.Shutdown(ctx)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("room: %w", err)
	}
	for _, name := range a.flags.exports {
		if err := srv.ExportFile(name); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "Wrote %s.\n", name)
	}
	fmt.Fprintln(a.stderr, "The room is closed.")
	return nil
}

// listen listens on addr; when addr is the default and its port is taken,
// on fallback (a free port) instead.
func listen(addr, def, fallback string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil && addr == def && errors.Is(err, syscall.EADDRINUSE) {
		ln, err = net.Listen("tcp", fallback)
	}
	return ln, err
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// joinHost is the host:port learners join at: the address listened on, or,
// for all interfaces, this computer's address on the LAN (the first one that
// is up, not loopback and not link-local), or its name.
func joinHost(addr *net.TCPAddr) string {
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = lanAddress()
	}
	return net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

func lanAddress() string {
	ifaces, _ := net.Interfaces()
	for _, iface := range ifaces {
		if iface.Flags&net.FlagUp == 0 || iface.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := iface.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLinkLocalUnicast() && !ipn.IP.IsLoopback() {
				return ipn.IP.String()
			}
		}
	}
	if h, err := os.Hostname(); err == nil {
		return h
	}
	return "127.0.0.1"
}

// closeRoom gives the room client a moment to send what the command
// queued (a check's verdict, a hint); the rest stays queued on disk.
func (a *app) closeRoom() {
	if a.room == nil {
		return
	}
	if err := a.room.Close(roomCloseWait); err != nil {
		fmt.Fprintln(a.stderr, "The workshop room refused your progress: the lead may have restarted it. Run its new Join line (`workbook join URL CODE`).")
	}
}

func (a *app) cmdJoin(args []string) error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	name := firstNonEmpty(a.flags.name, os.Getenv("USER"), os.Getenv("USERNAME"))
	if name == "" {
		return usagef("join: give the name the lead's dashboard shows: --name NAME")
	}
	ctx, cancel := context.WithTimeout(a.ctx, roomCallWait)
	defer cancel()
	l, err := a.room.Join(ctx, args[0], args[1], name, roomclient.ProgressOf(a.cat, p))
	var unreachable *roomclient.UnreachableError
	switch {
	case errors.Is(err, roomclient.ErrRefused):
		return usagef("join: the room at %s refused the code %q: check the join line the lead shows", args[0], exercises.Shorten(args[1]))
	case errors.As(err, &unreachable):
		fmt.Fprintf(a.stdout, "Joined the room at %s as %s, but it does not answer now (%v).\nWhat you do is kept in %s and sent when it does.\n", l.URL, l.Name, unreachable.Err, relPath(ws.Root))
	case err != nil:
		return err
	default:
		fmt.Fprintf(a.stdout, "Joined the room at %s as %s.\n", l.URL, l.Name)
	}
	fmt.Fprintln(a.stdout, "The lead's dashboard now shows the exercise you are on, your checks and their verdicts, and the hints you take.\nYour code goes only when you ask for help: `workbook help-me` (or Raise hand in the browser). `workbook leave` leaves.")
	return nil
}

func (a *app) cmdLeave(_ []string) error {
	if _, err := a.workspace(); err != nil {
		return err
	}
	c := a.room
	l, err := c.Link()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(a.ctx, roomCallWait)
	defer cancel()
	err = c.Leave(ctx)
	var unreachable *roomclient.UnreachableError
	switch {
	case l == nil:
		return usagef("leave: this workspace is in no room")
	case errors.As(err, &unreachable) || errors.Is(err, roomclient.ErrRefused):
		fmt.Fprintf(a.stdout, "Left the room at %s (it did not hear of it: %v).\n", l.URL, err)
	case err != nil:
		return err
	default:
		fmt.Fprintf(a.stdout, "Left the room at %s.\n", l.URL)
	}
	return nil
}

func (a *app) cmdHelpMe(args []string) error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	ex := helpExercise(a.cat, p)
	if len(args) == 1 {
		if ex, err = a.cat.Lookup(args[0]); err != nil {
			return err
		}
	}
	if ex == nil {
		return usagef("help-me: name the exercise: workbook help-me NAME")
	}
	ctx, cancel := context.WithTimeout(a.ctx, roomCallWait)
	defer cancel()
	err = a.room.RaiseHand(ctx, ws, ex)
	var unreachable *roomclient.UnreachableError
	switch {
	case errors.Is(err, roomclient.ErrNotJoined):
		return usagef("help-me: this workspace is in no room: join it first with the line the lead shows (workbook join URL CODE)")
	case errors.Is(err, roomclient.ErrRefused):
		return fmt.Errorf("help-me: %w; join again with the line the lead shows", err)
	case errors.As(err, &unreachable):
		fmt.Fprintf(a.stdout, "The room does not answer now (%v): your hand for %s goes up as soon as it does.\n", unreachable.Err, ex.Name)
	case err != nil:
		return err
	default:
		fmt.Fprintf(a.stdout, "Hand raised for %s: the lead sees your code of it and what its last check said, and comes over.\n", ex.Name)
	}
	return nil
}

// helpExercise is the exercise a hand is raised for when the learner names
// none: the last one they checked and have not passed, else the one they are
// on.
func helpExercise(cat *exercises.Catalog, p *workspace.Progress) *exercises.Exercise {
	var last *exercises.Exercise
	var at time.Time
	for _, ex := range cat.List {
		if st := p.Exercises[ex.Name]; st != nil && !st.Done && st.LastCheck.After(at) {
			last, at = ex, st.LastCheck
		}
	}
	if last != nil {
		return last
	}
	return p.Resume(cat)
}
