package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-blindspots/workbook/exercises"
	"github.com/gorilla/websocket"
)

// serveSite starts `workbook serve` on a free port and returns its URL (with
// the token) and the process.
func serveSite(env []string, bin, ws string) (string, *exec.Cmd, error) {
	cmd := exec.Command(bin, "--workspace", ws, "serve", "--addr", "127.0.0.1:0", "--no-open")
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return "", nil, fmt.Errorf("serve printed no URL: %v", err)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "Workbook: ")), cmd, nil
}

// rssKiB is the resident memory of a process.
func rssKiB(pid int) int {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pageWeight fetches a page and the scripts and styles it loads, as a browser
// with an empty cache would (gzip accepted), and returns the bytes transferred
// and their uncompressed size.
func pageWeight(base *url.URL, token, path string) (wire, raw int, err error) {
	get := func(p string) ([]byte, int, error) {
		req, _ := http.NewRequest("GET", base.Scheme+"://"+base.Host+p, nil)
		req.Header.Set("X-Workbook-Token", token)
		req.Header.Set("Accept-Encoding", "gzip") // set by hand: the transport then leaves the body compressed
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return nil, 0, fmt.Errorf("GET %s: %s", p, resp.Status)
		}
		size := len(body)
		if resp.Header.Get("Content-Encoding") == "gzip" {
			cmd := exec.Command("gzip", "-dc")
			cmd.Stdin = strings.NewReader(string(body))
			if body, err = cmd.Output(); err != nil {
				return nil, 0, err
			}
		}
		return body, size, err
	}
	page, n, err := get(path)
	if err != nil {
		return 0, 0, err
	}
	wire, raw = n, len(page)
	for _, m := range regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`).FindAllStringSubmatch(string(page), -1) {
		body, n, err := get(m[1])
		if err != nil {
			return 0, 0, err
		}
		wire += n
		raw += len(body)
	}
	return wire, raw, nil
}

// siteRows measures the site: page weights, the server's memory, and the time
// from pressing Check to the first event, over the websocket and in Chromium.
func siteRows(env []string, bin, ws string) ([]row, error) {
	u, cmd, err := serveSite(env, bin, ws)
	if err != nil {
		return nil, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	base, err := url.Parse(u)
	if err != nil {
		return nil, err
	}
	token := base.Query().Get("token")
	var rows []row
	for _, p := range []string{"/lesson/escape", "/exercise/races-request-counter"} {
		wire, raw, err := pageWeight(base, token, p)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{fmt.Sprintf("page weight of `%s` with its scripts and styles, empty browser cache", p),
			fmt.Sprintf("%d KiB transferred (gzip), %d KiB uncompressed", wire>>10, raw>>10), "`go run ./bench`"})
	}
	time.Sleep(500 * time.Millisecond)
	idle := rssKiB(cmd.Process.Pid)

	// Checks over the websocket, as a page sends them; RSS sampled meanwhile.
	h := http.Header{"Origin": {"http://" + base.Host}}
	dial := func() (*websocket.Conn, error) {
		c, _, err := websocket.DefaultDialer.Dial("ws://"+base.Host+"/ws?token="+token, h)
		return c, err
	}
	c, err := dial()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var firsts []time.Duration
	peak := 0
	for range *runs {
		start := time.Now()
		if err := c.WriteJSON(map[string]string{"type": "check", "exercise": "races-request-counter"}); err != nil {
			return nil, err
		}
		for i := 0; ; i++ {
			var e struct{ Type string }
			if err := c.ReadJSON(&e); err != nil {
				return nil, err
			}
			if i == 0 {
				firsts = append(firsts, time.Since(start))
			}
			peak = max(peak, rssKiB(cmd.Process.Pid))
			if e.Type == "verdict" || e.Type == "error" {
				break
			}
		}
	}
	slices.Sort(firsts)
	rows = append(rows,
		row{"`workbook serve`: from a check message on the websocket to the first event back", fmt.Sprintf("%v (median of %d)", firsts[len(firsts)/2].Round(10*time.Microsecond), len(firsts)), "`go run ./bench`"},
		row{"`workbook serve` resident memory, idle and during a race check", fmt.Sprintf("%.1f MiB idle, %.1f MiB at most during the checks (the server only: go and the test binaries are processes of their own)", float64(idle)/1024, float64(peak)/1024), "`go run ./bench`"})

	// Twenty tabs press Check at once: at most one check per core runs, the
	// others wait in line; the server's memory meanwhile.
	queuedPeak, maxPlace, took, err := queuedChecks(dial, cmd.Process.Pid, 20)
	if err != nil {
		return nil, err
	}
	rows = append(rows, row{"`workbook serve` with 20 tabs pressing Check at once (20 exercises)",
		fmt.Sprintf("%.1f MiB at most (idle %.1f MiB); the last waited at place %d; all 20 verdicts in %v", float64(queuedPeak)/1024, float64(idle)/1024, maxPlace, took.Round(time.Second)), "`go run ./bench -only site`"})

	if ms, err := browserFirstEvent(u); err != nil {
		fmt.Fprintln(os.Stderr, "bench: no browser measurement:", err)
	} else {
		rows = append(rows, row{"first event in the browser after pressing Check (headless Chromium, exercise page)", fmt.Sprintf("%.1f ms (median of %d; target ≤ 50 ms)", ms, *runs), "`go run ./bench`"})
	}
	return rows, nil
}

// queuedChecks opens n websockets, sends a check of a different exercise on
// each, and waits for every verdict, sampling the server's resident memory;
// it returns the peak, the highest place in line a check was told, and the
// time all took.
func queuedChecks(dial func() (*websocket.Conn, error), pid, n int) (peak, maxPlace int, took time.Duration, err error) {
	cat, err := exercises.Embedded()
	if err != nil {
		return 0, 0, 0, err
	}
	type result struct {
		place int
		err   error
	}
	done := make(chan result, n)
	start := time.Now()
	for i := range n {
		c, err := dial()
		if err != nil {
			return 0, 0, 0, err
		}
		defer c.Close()
		ex := cat.List[i%len(cat.List)]
		if err := c.WriteJSON(map[string]string{"type": "check", "exercise": ex.Name}); err != nil {
			return 0, 0, 0, err
		}
		go func() {
			place := 0
			for {
				var e struct {
					Type  string
					Place int
				}
				if err := c.ReadJSON(&e); err != nil {
					done <- result{place, err}
					return
				}
				place = max(place, e.Place)
				if e.Type == "verdict" || e.Type == "error" {
					done <- result{place, nil}
					return
				}
			}
		}()
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for left := n; left > 0; {
		select {
		case r := <-done:
			if r.err != nil {
				return 0, 0, 0, r.err
			}
			maxPlace = max(maxPlace, r.place)
			left--
		case <-tick.C:
			peak = max(peak, rssKiB(pid))
		}
	}
	return peak, maxPlace, time.Since(start), nil
}

// browserFirstEvent presses Check in headless Chromium and returns the median
// time until the first event reached the page, as the page measures it.
func browserFirstEvent(u string) (float64, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return 0, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	base, _ := url.Parse(u)
	if err := chromedp.Do(ctx, chromedp.Navigate(base.Scheme+"://"+base.Host+"/exercise/races-request-counter?"+base.RawQuery)); err != nil {
		return 0, err
	}
	eval := func(js string) (string, error) { return chromedp.Run(ctx, chromedp.Evaluate[string](js)) }
	var times []float64
	for range *runs {
		if _, err := eval(`document.querySelector("#verdict").hidden = true; document.querySelector("#check").click(); ""`); err != nil {
			return 0, err
		}
		deadline := time.Now().Add(2 * time.Minute)
		for {
			v, err := eval(`document.querySelector("#verdict").hidden ? "" : (document.querySelector("#output").dataset.firstEventMs || "")`)
			if err != nil {
				return 0, err
			}
			if v != "" {
				f, _ := strconv.ParseFloat(v, 64)
				times = append(times, f)
				break
			}
			if time.Now().After(deadline) {
				return 0, fmt.Errorf("no verdict in the browser")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}
