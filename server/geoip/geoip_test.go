package geoip

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const countryCSV = `# DB-IP IP to Country Lite excerpt
1.0.0.0,1.0.0.255,AU
5.10.0.0,5.10.255.255,de
"2001:db8::","2001:db8:ffff:ffff:ffff:ffff:ffff:ffff","NL"
10.0.0.0,10.255.255.255,ZZ
`

const cityCSV = `81.2.69.0,81.2.69.255,EU,GB,England,London,51.5085,-0.1257
"203.0.113.0","203.0.113.255","OC","AU","New South Wales","Sydney","-33.8678","151.2073"
`

func TestLookupCountries(t *testing.T) {
	db, err := Read(strings.NewReader(countryCSV))
	if err != nil {
		t.Fatal(err)
	}
	if db.Len() != 4 {
		t.Fatalf("Len = %d, want 4", db.Len())
	}
	for _, tc := range []struct{ addr, want string }{
		{"1.0.0.0", "AU"}, {"1.0.0.77", "AU"}, {"1.0.0.255", "AU"}, {"1.0.1.0", ""},
		{"5.10.20.30", "DE"}, {"0.255.255.255", ""}, {"200.1.1.1", ""},
		{"2001:db8::1", "NL"}, {"2001:db9::1", ""}, {"::ffff:1.0.0.5", "AU"},
		{"10.1.2.3", ""}, // ZZ: reserved
	} {
		if got := db.Lookup(netip.MustParseAddr(tc.addr)).Country; got != tc.want {
			t.Errorf("Lookup(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
	var none *DB
	if got := none.Lookup(netip.MustParseAddr("1.0.0.1")); got != (Place{}) {
		t.Errorf("nil DB Lookup = %+v", got)
	}
}

func TestLookupCities(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dbip-city-lite.csv")
	if err := os.WriteFile(path, []byte(cityCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p := db.Lookup(netip.MustParseAddr("203.0.113.9"))
	if p.Country != "AU" || !p.HasCoordinates || p.Latitude != -33.8678 || p.Longitude != 151.2073 {
		t.Errorf("Sydney = %+v", p)
	}
}

func TestReadRefusesBadFiles(t *testing.T) {
	for name, tc := range map[string]struct{ csv, want string }{
		"field count":  {"1.0.0.0,1.0.0.255\n", "line 1: 2 fields"},
		"bad address":  {"1.0.0.0,1.0.0.x,AU\n", "line 1:"},
		"descending":   {"1.0.0.9,1.0.0.1,AU\n", "not ascending"},
		"mixed family": {"1.0.0.0,::1,AU\n", "not ascending"},
		"country":      {"1.0.0.0,1.0.0.255,Australia\n", "not a two-letter code"},
		"coordinates":  {"1.0.0.0,1.0.0.255,OC,AU,x,y,north,151\n", "bad coordinates"},
		"overlap":      {"1.0.0.0,1.0.0.255,AU\n1.0.0.128,1.0.1.0,NZ\n", "overlap"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.csv))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Error("Open of a missing file succeeded")
	}
}

func BenchmarkLookup(b *testing.B) {
	var sb strings.Builder
	for i := range 200_000 {
		a := netip.AddrFrom4([4]byte{byte(i >> 16), byte(i >> 8), byte(i), 0})
		e := netip.AddrFrom4([4]byte{byte(i >> 16), byte(i >> 8), byte(i), 255})
		sb.WriteString(a.String() + "," + e.String() + ",AU\n")
	}
	db, err := Read(strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	addr := netip.MustParseAddr("1.2.3.4")
	b.ReportAllocs()
	for b.Loop() {
		db.Lookup(addr)
	}
}
