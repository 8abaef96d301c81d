package main

import (
	"strings"
	"testing"
)

const services = `# staging, maintained by the platform team
checkout: 10.0.1.11:8080, 10.0.1.12:8080

payments: payments-1.internal:9090
`

func TestParseServices(t *testing.T) {
	got, err := parseServices(strings.NewReader(services))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "checkout" || len(got[0].Servers) != 2 ||
		got[1].Name != "payments" || got[1].Servers[0] != "payments-1.internal:9090" {
		t.Errorf("parseServices = %+v", got)
	}
}

func TestParseServicesRejectsMissingPort(t *testing.T) {
	_, err := parseServices(strings.NewReader("checkout: 10.0.1.11:8080, 10.0.1.12\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1: service checkout") {
		t.Errorf("err = %v, want an error about line 1, service checkout", err)
	}
}

func TestWriteUpstreams(t *testing.T) {
	var out strings.Builder
	writeUpstreams(&out, []Service{{Name: "payments", Servers: []string{"payments-1.internal:9090"}}})
	want := "upstream payments {\n    server payments-1.internal:9090 max_fails=3 fail_timeout=10s;\n}\n"
	if out.String() != want {
		t.Errorf("writeUpstreams wrote\n%s\nwant\n%s", out.String(), want)
	}
}
