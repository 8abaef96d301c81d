package runner

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Reading /proc. A walk of every process is the only way to find a process
// by its parent on a kernel without /proc/PID/task/TID/children; it costs
// about 20 µs a process, so the hot paths use raw system calls and one buffer.

// procID names one process for its whole life: a pid is reused once the
// process is reaped, its start time (in clock ticks after boot) is not.
type procID struct {
	pid   int
	start uint64
}

// procStat is what a walk needs of /proc/PID/stat.
type procStat struct {
	id    procID
	ppid  int
	state byte  // R, S, D, Z, T…
	rss   int64 // resident pages
}

// procBuf is a walk's reusable buffer.
type procBuf struct {
	dirents []byte
	stat    []byte
}

func newProcBuf() *procBuf {
	return &procBuf{dirents: make([]byte, 32<<10), stat: make([]byte, 2048)}
}

// pids lists the processes in /proc.
func (b *procBuf) pids() []int {
	fd, err := syscall.Open("/proc", syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	var names []string
	for {
		n, err := syscall.ReadDirent(fd, b.dirents)
		if err != nil || n <= 0 {
			break
		}
		_, _, names = syscall.ParseDirent(b.dirents[:n], -1, names)
	}
	pids := make([]int, 0, len(names))
	for _, name := range names {
		if pid, err := strconv.Atoi(name); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// scan reads the stat of every process.
func (b *procBuf) scan() map[int]procStat {
	pids := b.pids()
	procs := make(map[int]procStat, len(pids))
	for _, pid := range pids {
		if st, ok := b.read(pid); ok {
			procs[pid] = st
		}
	}
	return procs
}

// read reads /proc/PID/stat; ok is false when the process is gone.
func (b *procBuf) read(pid int) (st procStat, ok bool) {
	fd, err := syscall.Open("/proc/"+strconv.Itoa(pid)+"/stat", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return st, false
	}
	n, err := syscall.Read(fd, b.stat)
	syscall.Close(fd)
	if err != nil || n <= 0 {
		return st, false
	}
	return parseStat(pid, b.stat[:n])
}

// parseStat parses "pid (comm) state ppid pgrp session … starttime vsize rss …";
// comm may hold spaces and parentheses, so the fields start after the last ')'.
func parseStat(pid int, line []byte) (st procStat, ok bool) {
	i := bytes.LastIndexByte(line, ')')
	if i < 0 {
		return st, false
	}
	f := bytes.Fields(line[i+1:])
	// f[0] is field 3 of proc(5): state; ppid is 4, starttime 22, rss 24.
	if len(f) < 22 || len(f[0]) != 1 {
		return st, false
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	start, err2 := strconv.ParseUint(string(f[19]), 10, 64)
	rss, err3 := strconv.ParseInt(string(f[21]), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return st, false
	}
	return procStat{id: procID{pid, start}, ppid: ppid, state: f[0][0], rss: rss}, true
}

// procEnv returns the value of the variable key in the environment pid was
// started with.
func procEnv(pid int, key string) (string, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return "", false
	}
	for _, kv := range bytes.Split(data, []byte{0}) {
		if k, v, ok := bytes.Cut(kv, []byte{'='}); ok && string(k) == key {
			return string(v), true
		}
	}
	return "", false
}

// procLink reads a link of /proc/PID, such as "exe" or "cwd", without the
// " (deleted)" the kernel adds when its target is gone.
func procLink(pid int, name string) string {
	p, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/" + name)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(p, " (deleted)")
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	return dir != "" && (path == dir || strings.HasPrefix(path, dir+string(os.PathSeparator)))
}
