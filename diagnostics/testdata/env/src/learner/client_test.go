package client

import (
	"syscall"
	"testing"
)

func TestFetchRefused(t *testing.T) {
	if _, err := Fetch("http://127.0.0.1:9/config"); err != nil {
		t.Fatal(err)
	}
}

func TestFetchUnknownHost(t *testing.T) {
	if _, err := Fetch("http://config.invalid/"); err != nil {
		t.Fatal(err)
	}
}

func TestOpenAll(t *testing.T) {
	lim := syscall.Rlimit{Cur: 32, Max: 32}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if err := OpenAll("client.go", 100); err != nil {
		t.Fatal(err)
	}
}

func TestSave(t *testing.T) {
	if err := Save("/proc/sys/kernel/osrelease"); err != nil {
		t.Fatal(err)
	}
}
