package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
)

var (
	configPath = flag.String("config", "/etc/upstreamgen/services.conf", "services file to read")
	verbose    = flag.Bool("v", false, "log what is generated, on stderr")
)

// logger writes the -v log. debugf checks -v each time it logs, so it sees
// the flag as main parsed it.
var logger = log.New(os.Stderr, "upstreamgen: ", 0)

func debugf(format string, args ...any) {
	if *verbose {
		logger.Printf(format, args...)
	}
}

// Service is a backend service and the servers that run it.
type Service struct {
	Name    string
	Servers []string // host:port
}

// parseServices reads lines of the form "name: host:port, host:port".
// Blank lines and lines starting with # are skipped.
func parseServices(r io.Reader) ([]Service, error) {
	var services []Service
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, list, ok := strings.Cut(text, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("line %d: want \"name: host:port, ...\"", line)
		}
		svc := Service{Name: strings.TrimSpace(name)}
		for addr := range strings.SplitSeq(list, ",") {
			addr = strings.TrimSpace(addr)
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return nil, fmt.Errorf("line %d: service %s: %v", line, svc.Name, err)
			}
			svc.Servers = append(svc.Servers, addr)
		}
		debugf("upstream %s: %s", svc.Name, strings.Join(svc.Servers, " "))
		services = append(services, svc)
	}
	return services, sc.Err()
}

func loadServices(path string) ([]Service, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	services, err := parseServices(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return services, nil
}
