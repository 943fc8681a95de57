// Package config is Sigil's one typed configuration: defaults set in code, then a
// YAML file, then SIGIL_* environment variables, then flags, validated as a whole
// with every problem reported at once.
//
// It must not open databases or listeners; it only describes them.
package config
