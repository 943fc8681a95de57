package gormstore

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/sigil-idp/sigil/storage"
)

// optionalClaims stores an application's storage.OptionalClaims as JSON in
// the applications.optional_claims column.
type optionalClaims storage.OptionalClaims

// Value implements driver.Valuer.
func (o optionalClaims) Value() (driver.Value, error) {
	b, err := json.Marshal(storage.OptionalClaims(o))
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner; NULL and "" read as no optional claims.
func (o *optionalClaims) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case nil:
		*o = optionalClaims{}
		return nil
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		return fmt.Errorf("gormstore: cannot scan %T into optional claims", src)
	}
	var out storage.OptionalClaims
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			return fmt.Errorf("gormstore: optional claims: %w", err)
		}
	}
	*o = optionalClaims(out)
	return nil
}
