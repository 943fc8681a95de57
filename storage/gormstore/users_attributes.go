package gormstore

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
)

// jsonText stores a value as JSON in a text column; empty stands for the zero
// value when read.
type jsonText[T any] struct{ V T }

// Value implements driver.Valuer.
func (j jsonText[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (j *jsonText[T]) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		return fmt.Errorf("gormstore: cannot scan %T into JSON text", src)
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil
	}
	return json.Unmarshal(raw, &j.V)
}

// extensionAttributes stores extensionAttribute1..15 as a JSON array with
// trailing empty values trimmed.
type extensionAttributes [15]string

// Value implements driver.Valuer.
func (e extensionAttributes) Value() (driver.Value, error) {
	n := len(e)
	for n > 0 && e[n-1] == "" {
		n--
	}
	b, err := json.Marshal(e[:n])
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (e *extensionAttributes) Scan(src any) error {
	var list jsonText[[]string]
	if err := list.Scan(src); err != nil {
		return err
	}
	*e = extensionAttributes{}
	copy(e[:], list.V)
	return nil
}
