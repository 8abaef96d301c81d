package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-blindspots/workbook/roomclient"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
	"github.com/gorilla/websocket"
)

var (
	roomLearners = flag.Int("room-learners", 100, "-only room: simulated learners")
	roomEvery    = flag.Duration("room-every", 5*time.Second, "-only room: each learner checks this often")
	roomFor      = flag.Duration("room-for", 2*time.Minute, "-only room: how long the learners work")
)

// roomExercises are the exercises the simulated learners work on, in turn.
var roomExercises = []string{"races-config-flag", "leaks-worker-ctx", "locks-value-receiver", "pool-byte-slices", "context-lost-cancel"}

// roomRows measures `workbook room` under a classroom's load, on loopback:
// simulated learners — goroutines, each with its own disk queue and its own
// loopback source address (127.0.1.N), sending through package roomclient as
// a learner's workbook does — start a check and report its verdict every
// roomEvery for roomFor. It reports the room process's CPU and resident
// memory, and the time from a learner's verdict (its Report call: queued on
// disk, pushed) to the dashboard's websocket message that shows it.
func roomRows(env []string, bin, tmp string) ([]row, error) {
	cmd := exec.Command(bin, "room", "--addr", "127.0.0.1:0")
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	var joinURL, code, dash string
	sc := bufio.NewScanner(out)
	for (joinURL == "" || dash == "") && sc.Scan() {
		if f := strings.Fields(strings.TrimPrefix(sc.Text(), "Join: workbook join ")); len(f) == 2 && strings.HasPrefix(sc.Text(), "Join:") {
			joinURL, code = f[0], f[1]
		}
		if u, ok := strings.CutPrefix(sc.Text(), "Dashboard: "); ok {
			dash = u
		}
	}
	if joinURL == "" || dash == "" {
		return nil, errors.New("room printed no join line or no dashboard URL")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	pid := cmd.Process.Pid
	time.Sleep(500 * time.Millisecond)
	idle := rssKiB(pid)

	// The dashboard, as the lead's page opens it.
	host := strings.TrimPrefix(strings.SplitN(dash, "/?", 2)[0], "http://")
	token := dash[strings.Index(dash, "token=")+len("token="):]
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+host+"/ws?token="+token, http.Header{"Origin": {"http://" + host}})
	if err != nil {
		return nil, fmt.Errorf("dashboard websocket: %w", err)
	}
	defer ws.Close()

	// sent[name][k-1] is when learner name reported its k-th verdict, and
	// queued[name][k-1] when that Report returned, the event on disk.
	var mu sync.Mutex
	sent := make(map[string][]time.Time)
	queued := make(map[string][]time.Time)
	var latencies, pushes, writes []time.Duration
	seen := make(map[string]int)
	go func() {
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			now := time.Now()
			var snap struct {
				Learners []struct {
					Name   string `json:"name"`
					Checks int    `json:"checks"`
				} `json:"learners"`
			}
			if json.Unmarshal(data, &snap) != nil {
				continue
			}
			mu.Lock()
			for _, l := range snap.Learners {
				for k := seen[l.Name] + 1; k <= l.Checks && k <= len(queued[l.Name]); k++ {
					latencies = append(latencies, now.Sub(sent[l.Name][k-1]))
					pushes = append(pushes, now.Sub(queued[l.Name][k-1]))
					writes = append(writes, queued[l.Name][k-1].Sub(sent[l.Name][k-1]))
					seen[l.Name] = k
				}
			}
			mu.Unlock()
		}
	}()

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	joined := make(chan error, *roomLearners)
	cpu0, wall0 := cpuTicks(pid), time.Now()
	for i := range *roomLearners {
		name := fmt.Sprintf("learner-%03d", i+1)
		c := roomclient.New(filepath.Join(tmp, "learners", name))
		src := &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(i%250+1))}
		c.HTTP = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			DialContext: (&net.Dialer{LocalAddr: src, Timeout: 5 * time.Second}).DialContext, MaxIdleConnsPerHost: 1}}
		wg.Go(func() {
			defer c.Close(5 * time.Second)
			_, err := c.Join(ctx, joinURL, code, name, nil)
			joined <- err
			if err != nil {
				return
			}
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			select { // learners do not check in step
			case <-time.After(time.Duration(rng.Int64N(int64(*roomEvery)))):
			case <-ctx.Done():
				return
			}
			tick := time.NewTicker(*roomEvery)
			defer tick.Stop()
			for n := 0; ; n++ {
				ex := roomExercises[(n/6)%len(roomExercises)]
				c.Report(workspace.Activity{Kind: workspace.ActivityCheckStarted, Exercise: ex})
				// A check takes a moment; every sixth passes.
				time.Sleep(time.Duration(300+rng.IntN(700)) * time.Millisecond)
				res := runner.Result{Pass: n%6 == 5, Message: "Readers must never see a half-applied config"}
				start := time.Now()
				c.Report(workspace.Activity{Kind: workspace.ActivityChecked, Exercise: ex, Result: res})
				mu.Lock()
				sent[name] = append(sent[name], start)
				queued[name] = append(queued[name], time.Now())
				mu.Unlock()
				select {
				case <-tick.C:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	for range *roomLearners {
		if err := <-joined; err != nil {
			cancel()
			wg.Wait()
			return nil, fmt.Errorf("a learner could not join: %w", err)
		}
	}
	peak := 0
	for end := time.Now().Add(*roomFor); time.Now().Before(end); time.Sleep(time.Second) {
		peak = max(peak, rssKiB(pid))
	}
	cpu1, wall1 := cpuTicks(pid), time.Now()
	cancel()
	wg.Wait()
	time.Sleep(time.Second) // the last verdicts reach the dashboard
	peak = max(peak, rssKiB(pid))

	mu.Lock()
	defer mu.Unlock()
	verdicts := 0
	for _, s := range sent {
		verdicts += len(s)
	}
	if len(latencies) == 0 {
		return nil, errors.New("the dashboard showed no verdict")
	}
	pct := func(ds []time.Duration, p float64) time.Duration {
		ds = slices.Sorted(slices.Values(ds))
		return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(100 * time.Microsecond)
	}
	dist := func(ds []time.Duration) string {
		return fmt.Sprintf("median %v, p95 %v, p99 %v, max %v", pct(ds, 0.5), pct(ds, 0.95), pct(ds, 0.99), pct(ds, 1))
	}
	cpuSecs := float64(cpu1-cpu0) / clockTicks()
	wall := wall1.Sub(wall0).Seconds()
	load := fmt.Sprintf("%d simulated learners, a check every %v each, for %v (loopback)", *roomLearners, *roomEvery, *roomFor)
	fmt.Printf("room: %d verdicts reported, %d seen on the dashboard\n  verdict → dashboard: %s\n  queued → dashboard: %s\n  queueing (disk write): %s\n",
		verdicts, len(latencies), dist(latencies), dist(pushes), dist(writes))
	return []row{
		{"`workbook room`: from a learner's verdict to the dashboard's websocket update, " + load,
			fmt.Sprintf("%s over %d verdicts (target ≤ 200 ms); of which the learner's disk queue write: median %v, p99 %v (all 100 learners write to this one disk)",
				dist(latencies), len(latencies), pct(writes, 0.5), pct(writes, 0.99)), "`go run ./bench -only room`"},
		{"`workbook room`: from the verdict queued on the learner's disk to the dashboard's update, the same load", dist(pushes), "`go run ./bench -only room`"},
		{"`workbook room` CPU under that load", fmt.Sprintf("%.1f%% of one core (%.1f s of CPU in %.0f s)", 100*cpuSecs/wall, cpuSecs, wall), "`go run ./bench -only room`"},
		{"`workbook room` resident memory", fmt.Sprintf("%.1f MiB idle, %.1f MiB at most under that load", float64(idle)/1024, float64(peak)/1024), "`go run ./bench -only room`"},
	}, nil
}

// cpuTicks is the user and system CPU time of a process, in clock ticks
// (/proc/PID/stat, fields 14 and 15).
func cpuTicks(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return utime + stime
}

// clockTicks is the kernel's clock ticks a second (CLK_TCK), 100 unless
// getconf says otherwise.
func clockTicks() float64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if n, err2 := strconv.Atoi(strings.TrimSpace(string(out))); err == nil && err2 == nil && n > 0 {
		return float64(n)
	}
	return 100
}
