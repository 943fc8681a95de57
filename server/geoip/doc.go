// Package geoip maps client IP addresses to countries (and, when the
// database has them, coordinates) for Conditional Access country locations
// (G-13) and impossible-travel risk (G-28).
//
// Sigil reads the free DB-IP "lite" CSV databases as published, unzipped:
//
//   - IP to Country Lite: ip_start,ip_end,country
//   - IP to City Lite: ip_start,ip_end,continent,country,stateprov,city,latitude,longitude
//
// Rows may be IPv4 or IPv6 and must not overlap; lines starting with "#" and
// blank lines are skipped. The whole file is loaded into memory, sorted, and
// looked up by binary search, so a lookup costs no I/O and no allocation.
// The database is optional (config setting geoip_database): without it every
// address is of unknown country, country locations match only when they
// include unknown countries, and impossible travel is not detected.
package geoip
