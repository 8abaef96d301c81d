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
// Every name is in one string, names, and a range points into it with
// offsets: the ranges hold no pointer, so the garbage collector never scans
// them, and names is a single object without pointers either.
type Table struct {
	ranges []entry // sorted by first
	names  string
}

type entry struct {
	first, last uint32
	cityOff     uint32
	cityLen     uint16
	countryOff  uint32
	countryLen  uint16
}

// Load builds a table from the database's records, which must be sorted by
// First and must not overlap. The table keeps no reference to records.
func Load(records []Record) (*Table, error) {
	t := &Table{ranges: make([]entry, 0, len(records))}
	var names strings.Builder
	offsets := map[string]uint32{}
	name := func(s string) (uint32, uint16, error) {
		if len(s) > 0xffff {
			return 0, 0, fmt.Errorf("geoip: name of %d bytes", len(s))
		}
		off, ok := offsets[s]
		if !ok {
			off = uint32(names.Len())
			names.WriteString(s)
			offsets[s] = off
		}
		return off, uint16(len(s)), nil
	}
	for i, r := range records {
		if r.Last < r.First || i > 0 && r.First <= records[i-1].Last {
			return nil, fmt.Errorf("geoip: record %d (%d-%d) is out of order", i, r.First, r.Last)
		}
		e := entry{first: r.First, last: r.Last}
		var err error
		if e.countryOff, e.countryLen, err = name(r.Country); err != nil {
			return nil, err
		}
		if e.cityOff, e.cityLen, err = name(r.City); err != nil {
			return nil, err
		}
		t.ranges = append(t.ranges, e)
	}
	t.names = names.String()
	return t, nil
}

// Lookup returns the location of ip, and false when no range holds it.
func (t *Table) Lookup(ip uint32) (Location, bool) {
	i := sort.Search(len(t.ranges), func(i int) bool { return t.ranges[i].last >= ip })
	if i == len(t.ranges) || t.ranges[i].first > ip {
		return Location{}, false
	}
	e := t.ranges[i]
	return Location{
		Country: t.names[e.countryOff : e.countryOff+uint32(e.countryLen)],
		City:    t.names[e.cityOff : e.cityOff+uint32(e.cityLen)],
	}, true
}

// Len returns the number of ranges.
func (t *Table) Len() int { return len(t.ranges) }
