// Command upstreamgen writes the nginx upstream blocks of our backend
// services, from the services file that the platform team maintains.
//
//	upstreamgen -config services.conf > /etc/nginx/conf.d/upstreams.conf
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	check := flag.Bool("check", false, "only validate the services file")
	flag.Parse()

	services, err := loadServices(*configPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "upstreamgen: %v\n", err)
		os.Exit(1)
	}
	if *check {
		fmt.Printf("%s: %d services ok\n", *configPath, len(services))
		return
	}
	writeUpstreams(os.Stdout, services)
}

// writeUpstreams writes one nginx upstream block per service.
func writeUpstreams(w io.Writer, services []Service) {
	for _, svc := range services {
		fmt.Fprintf(w, "upstream %s {\n", svc.Name)
		for _, addr := range svc.Servers {
			fmt.Fprintf(w, "    server %s max_fails=3 fail_timeout=10s;\n", addr)
		}
		fmt.Fprintf(w, "}\n")
	}
}
