package geoip

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Place is what the database knows about an address.
type Place struct {
	Country string // ISO 3166-1 alpha-2, upper case; "" when unknown
	// HasCoordinates is set when the database carries latitude and longitude.
	HasCoordinates      bool
	Latitude, Longitude float64
}

// DB is a loaded database. The zero value and a nil *DB know no address.
type DB struct {
	ranges []ipRange
}

type ipRange struct {
	start, end netip.Addr
	place      Place
}

// maxLineBytes bounds one CSV line (city names are short).
const maxLineBytes = 4 << 10

// Open loads the database at path.
func Open(path string) (*DB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip: %w", err)
	}
	defer f.Close()
	db, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("geoip: %s: %w", path, err)
	}
	return db, nil
}

// Read parses a database in DB-IP lite CSV form.
func Read(r io.Reader) (*DB, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxLineBytes), maxLineBytes)
	db := &DB{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		rg, err := parseRow(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		db.ranges = append(db.ranges, rg)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(db.ranges, func(a, b ipRange) int { return a.start.Compare(b.start) })
	for i := 1; i < len(db.ranges); i++ {
		if prev := db.ranges[i-1]; db.ranges[i].start.Compare(prev.end) <= 0 {
			return nil, fmt.Errorf("ranges starting at %s and %s overlap", prev.start, db.ranges[i].start)
		}
	}
	return db, nil
}

func parseRow(text string) (ipRange, error) {
	fields := splitCSV(text)
	if len(fields) != 3 && len(fields) != 8 {
		return ipRange{}, fmt.Errorf("%d fields; want 3 (country) or 8 (city)", len(fields))
	}
	start, err1 := netip.ParseAddr(fields[0])
	end, err2 := netip.ParseAddr(fields[1])
	if err := errors.Join(err1, err2); err != nil {
		return ipRange{}, err
	}
	start, end = start.Unmap(), end.Unmap()
	if start.Is4() != end.Is4() || end.Less(start) {
		return ipRange{}, fmt.Errorf("range %s-%s is not ascending within one address family", start, end)
	}
	rg := ipRange{start: start, end: end}
	if len(fields) == 3 {
		rg.place.Country = fields[2]
	} else {
		rg.place.Country = fields[3]
		lat, err1 := strconv.ParseFloat(fields[6], 64)
		lon, err2 := strconv.ParseFloat(fields[7], 64)
		if err := errors.Join(err1, err2); err != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return ipRange{}, fmt.Errorf("bad coordinates %q,%q", fields[6], fields[7])
		}
		rg.place.HasCoordinates, rg.place.Latitude, rg.place.Longitude = true, lat, lon
	}
	rg.place.Country = strings.ToUpper(rg.place.Country)
	if !validCountry(rg.place.Country) {
		return ipRange{}, fmt.Errorf("country %q is not a two-letter code", rg.place.Country)
	}
	return rg, nil
}

// validCountry accepts ISO 3166-1 alpha-2 codes and DB-IP's "ZZ" (unknown).
func validCountry(c string) bool {
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}

// splitCSV splits one line on commas, removing the double quotes DB-IP puts
// around text fields ("" inside quotes is a quote).
func splitCSV(line string) []string {
	var fields []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"' && quoted && i+1 < len(line) && line[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			fields = append(fields, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(fields, strings.TrimSpace(cur.String()))
}

// Lookup returns what the database knows about addr (the zero Place when
// nothing).
func (db *DB) Lookup(addr netip.Addr) Place {
	if db == nil || !addr.IsValid() {
		return Place{}
	}
	addr = addr.Unmap()
	i, _ := slices.BinarySearchFunc(db.ranges, addr, func(r ipRange, a netip.Addr) int { return r.start.Compare(a) })
	// ranges[i] is the first range starting after addr (or at it).
	if i < len(db.ranges) && db.ranges[i].start == addr {
		return db.known(db.ranges[i].place)
	}
	if i == 0 {
		return Place{}
	}
	if r := db.ranges[i-1]; addr.Compare(r.end) <= 0 && r.start.Is4() == addr.Is4() {
		return db.known(r.place)
	}
	return Place{}
}

// known drops DB-IP's "ZZ" country (reserved and unassigned ranges).
func (db *DB) known(p Place) Place {
	if p.Country == "ZZ" {
		p.Country = ""
	}
	return p
}

// Len is the number of ranges loaded.
func (db *DB) Len() int {
	if db == nil {
		return 0
	}
	return len(db.ranges)
}
