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
//
// A table of millions of ranges lives as long as the process, and the
// garbage collector marks every live object at every cycle: each pointer in
// it is work for every cycle (and for the requests that assist it). So the
// ranges hold no pointer at all: a slice of pointer-free entries is never
// scanned. The names live once each, in two small tables.
type Table struct {
	ranges    []entry  // sorted by first
	countries []string // distinct country codes; entry.country indexes it
	cities    []string // distinct city names; entry.city indexes it
}

type entry struct {
	first, last uint32
	city        uint32
	country     uint16
}

// Load builds a table from the database's records, which must be sorted by
// First and must not overlap. The table keeps no reference to records: the
// names it keeps are copies, so that a record's string that points into the
// database file's buffer does not keep the whole file alive.
func Load(records []Record) (*Table, error) {
	t := &Table{ranges: make([]entry, 0, len(records))}
	countries := map[string]uint16{}
	cities := map[string]uint32{}
	for i, r := range records {
		if r.Last < r.First || i > 0 && r.First <= records[i-1].Last {
			return nil, fmt.Errorf("geoip: record %d (%d-%d) is out of order", i, r.First, r.Last)
		}
		c, ok := countries[r.Country]
		if !ok {
			c = uint16(len(t.countries))
			t.countries = append(t.countries, strings.Clone(r.Country))
			countries[r.Country] = c
		}
		city, ok := cities[r.City]
		if !ok {
			city = uint32(len(t.cities))
			t.cities = append(t.cities, strings.Clone(r.City))
			cities[r.City] = city
		}
		t.ranges = append(t.ranges, entry{first: r.First, last: r.Last, city: city, country: c})
	}
	return t, nil
}

// Lookup returns the location of ip, and false when no range holds it.
func (t *Table) Lookup(ip uint32) (Location, bool) {
	i := sort.Search(len(t.ranges), func(i int) bool { return t.ranges[i].last >= ip })
	if i == len(t.ranges) || t.ranges[i].first > ip {
		return Location{}, false
	}
	e := t.ranges[i]
	return Location{Country: t.countries[e.country], City: t.cities[e.city]}, true
}

// Len returns the number of ranges.
func (t *Table) Len() int { return len(t.ranges) }
