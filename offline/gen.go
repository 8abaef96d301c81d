//go:build ignore

// gen.go writes proxy/: the module proxy files (list, .info, .mod, .zip) of
// every module version that exercises/go.sum lists, as `go mod download`
// fetched them from the learner's (here: the author's) module proxy.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	versions, err := sumVersions("../exercises/go.sum")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.RemoveAll("proxy"); err != nil {
		log.Fatal(err)
	}
	lists := map[string][]string{}
	for _, mv := range versions {
		out, err := exec.Command("go", "mod", "download", "-json", mv).Output()
		if err != nil {
			log.Fatalf("go mod download %s: %v", mv, err)
		}
		var d struct{ Path, Version, Info, GoMod, Zip string }
		if err := json.Unmarshal(out, &d); err != nil {
			log.Fatal(err)
		}
		dir := filepath.Join("proxy", filepath.FromSlash(escape(d.Path)), "@v")
		if err := os.MkdirAll(dir, 0o777); err != nil {
			log.Fatal(err)
		}
		for ext, src := range map[string]string{".info": d.Info, ".mod": d.GoMod, ".zip": d.Zip} {
			data, err := os.ReadFile(src)
			if err != nil {
				log.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, d.Version+ext), data, 0o666); err != nil {
				log.Fatal(err)
			}
		}
		lists[dir] = append(lists[dir], d.Version)
		fmt.Println("offline:", d.Path, d.Version)
	}
	for dir, vs := range lists {
		slices.Sort(vs)
		if err := os.WriteFile(filepath.Join(dir, "list"), []byte(strings.Join(vs, "\n")+"\n"), 0o666); err != nil {
			log.Fatal(err)
		}
	}
}

// sumVersions returns "path@version" for each module of a go.sum file.
func sumVersions(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var mvs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			continue
		}
		mv := fields[0] + "@" + strings.TrimSuffix(fields[1], "/go.mod")
		if !slices.Contains(mvs, mv) {
			mvs = append(mvs, mv)
		}
	}
	return mvs, sc.Err()
}

// escape is the module proxy protocol's case encoding: "!" before each
// upper-case letter, which is written in lower case.
func escape(path string) string {
	var b strings.Builder
	for _, r := range path {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
