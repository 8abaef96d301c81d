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

	dump, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	defer dump.Close()

	unlock, err := lock(*out + ".lock")
	if err != nil {
		log.Fatal(err)
	}
	defer unlock()

	tmp := *out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(tmp) // once renamed, there is nothing left to remove
	defer f.Close()

	w := csv.NewWriter(f)
	n, err := writeReport(w, dump)
	if err != nil {
		// log.Fatalf skips the deferred calls: clean up by hand first.
		f.Close()
		os.Remove(tmp)
		unlock()
		log.Fatalf("%s %v", *in, err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("exported %d orders to %s\n", n, *out)
}
