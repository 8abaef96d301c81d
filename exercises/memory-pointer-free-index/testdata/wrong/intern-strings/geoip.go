// Package geoip maps client IPv4 addresses to their country and city, for
// the ad server's targeting. The table (3.2 million ranges in production) is
// loaded once at startup and kept for the life of the process.
package geoip

import (
	"fmt"
	"sort"
	"strings"
)

// Record is one line of the GeoIP database file: the addresses First to
// Last, both included, are in City, Country.
type Record struct {
	First, Last uint32
	Country     string // ISO 3166 code: "DE"
	City        string
}

// Location is where an address is.
type Location struct {
	Country string
	City    string
}

// Table answers lookups. It is read-only once loaded, and safe for
// concurrent use.
type Table struct {
	ranges []entry // sorted by first
}

type entry struct {
	first, last uint32
	loc         Location
}

// Load builds a table from the database's records, which must be sorted by
// First and must not overlap. The table keeps no reference to records.
func Load(records []Record) (*Table, error) {
	t := &Table{ranges: make([]entry, 0, len(records))}
	// 3.2 million ranges, 120,000 distinct cities: keep one copy of each
	// name instead of one per range.
	names := map[string]string{}
	intern := func(s string) string {
		if n, ok := names[s]; ok {
			return n
		}
		n := strings.Clone(s)
		names[n] = n
		return n
	}
	for i, r := range records {
		if r.Last < r.First || i > 0 && r.First <= records[i-1].Last {
			return nil, fmt.Errorf("geoip: record %d (%d-%d) is out of order", i, r.First, r.Last)
		}
		t.ranges = append(t.ranges, entry{r.First, r.Last, Location{Country: intern(r.Country), City: intern(r.City)}})
	}
	return t, nil
}

// Lookup returns the location of ip, and false when no range holds it.
func (t *Table) Lookup(ip uint32) (Location, bool) {
	i := sort.Search(len(t.ranges), func(i int) bool { return t.ranges[i].last >= ip })
	if i == len(t.ranges) || t.ranges[i].first > ip {
		return Location{}, false
	}
	return t.ranges[i].loc, true
}

// Len returns the number of ranges.
func (t *Table) Len() int { return len(t.ranges) }
