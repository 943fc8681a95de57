// Package storage is Sigil's storage contract: the domain types every part of the
// server reads and writes, the Storage interface that backends implement, and the
// sentinel errors they return.
//
// It owns no behaviour beyond the contract. Domain types carry no ORM tags; the
// gorm backend (storage/gormstore) maps them to tables. Every backend passes the
// shared suite in storage/conformance. Times are always UTC.
//
// It must not import fosite, net/http or any backend driver.
package storage
