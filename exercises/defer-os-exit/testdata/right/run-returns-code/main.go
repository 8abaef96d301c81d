// Command orders-export writes the nightly orders report for the finance
// team: it reads the day's dump of the shop database (one JSON order per
// line) and writes the orders as CSV.
//
// The report is written to OUT.tmp and renamed to OUT only once it is
// complete, so finance never imports half a report. OUT.lock keeps two
// exports (the scheduled one and a manual rerun) from writing the same report.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
)

func main() {
	in := flag.String("in", "orders.jsonl", "the day's orders dump, one JSON order per line")
	out := flag.String("out", "orders.csv", "the report to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("orders-export: ")

	// os.Exit skips deferred calls, so it comes last, in main, once run
	// has returned and its deferred cleanup has run.
	os.Exit(run(*in, *out))
}

// run exports the dump in to the report out and returns the exit status.
func run(in, out string) int {
	dump, err := os.Open(in)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer dump.Close()

	unlock, err := lock(out + ".lock")
	if err != nil {
		log.Print(err)
		return 1
	}
	defer unlock()

	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer os.Remove(tmp) // once renamed, there is nothing left to remove
	defer f.Close()

	w := csv.NewWriter(f)
	n, err := writeReport(w, dump)
	if err != nil {
		log.Printf("%s %v", in, err)
		return 1
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Print(err)
		return 1
	}
	if err := f.Close(); err != nil {
		log.Print(err)
		return 1
	}
	if err := os.Rename(tmp, out); err != nil {
		log.Print(err)
		return 1
	}
	fmt.Printf("exported %d orders to %s\n", n, out)
	return 0
}
