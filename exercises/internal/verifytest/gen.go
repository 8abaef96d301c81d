//go:build ignore

// gen.go writes a test package for every exercise that lacks one:
// go generate ./exercises/internal/verifytest
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/exercises/internal/verifytest"
)

func main() {
	cat, err := exercises.Embedded()
	if err != nil {
		log.Fatal(err)
	}
	for _, ex := range cat.List {
		file := filepath.Join(ex.Name, "verify_test.go")
		if _, err := os.Stat(file); err == nil {
			continue
		}
		if err := os.MkdirAll(ex.Name, 0o777); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(verifytest.Source(ex.Name)), 0o666); err != nil {
			log.Fatal(err)
		}
		fmt.Println("verifytest:", file)
	}
}
