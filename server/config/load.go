package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigEnv names the environment variable holding the YAML file path; the
// --config flag overrides it.
const ConfigEnv = "SIGIL_CONFIG"

// Scope selects which settings a command accepts as flags. Every setting is always
// read from the YAML file and the environment.
type Scope int

const (
	// AllSettings binds a flag for every setting (serve, demo).
	AllSettings Scope = iota
	// StorageSettings binds only the settings every command needs: database, data
	// directory, master secrets and logging (admin commands, migrate).
	StorageSettings
)

// Flags holds configuration flags bound to a flag.FlagSet. Parse the set, then
// call Load.
type Flags struct {
	configPath string
	values     []*flagValue
}

// flagValue records a flag's raw text so it can be applied after the file and the
// environment, with the same parsing as the environment.
type flagValue struct {
	setting Setting
	raw     string
	set     bool
}

func (v *flagValue) String() string { return v.raw }

func (v *flagValue) Set(raw string) error {
	if err := v.setting.set(&Config{}, raw); err != nil {
		return err
	}
	v.raw, v.set = raw, true
	return nil
}

func (v *flagValue) IsBoolFlag() bool { return v.setting.isBool() }

// Bind adds --config and one flag per setting in scope to fs, with the defaults
// shown in the usage text.
func Bind(fs *flag.FlagSet, scope Scope) *Flags {
	f := &Flags{}
	fs.StringVar(&f.configPath, "config", "", "YAML configuration file (env "+ConfigEnv+")")
	defaults := Default()
	for _, s := range Settings() {
		if scope == StorageSettings && !s.Storage {
			continue
		}
		v := &flagValue{setting: s}
		usage := fmt.Sprintf("%s (env %s)", s.Usage, s.Env)
		if d := s.DefaultText(defaults); d != "" {
			usage += fmt.Sprintf(" (default %q)", d)
		}
		fs.Var(v, s.Flag, usage)
		f.values = append(f.values, v)
	}
	return f
}

// Load layers the configuration: defaults, then the YAML file (--config or
// SIGIL_CONFIG), then SIGIL_* variables from lookupEnv, then the flags that were
// set. It resolves the master secret from a file when one is named, and reports
// every unreadable value at once. It does not validate: call Validate.
func (f *Flags) Load(lookupEnv func(string) (string, bool)) (Config, error) {
	cfg := Default()
	path := f.configPath
	if path == "" {
		path, _ = lookupEnv(ConfigEnv)
	}
	if path != "" {
		if err := loadFile(&cfg, path); err != nil {
			return Config{}, err
		}
	}
	var errs []error
	for _, s := range Settings() {
		raw, ok := lookupEnv(s.Env)
		if !ok {
			continue
		}
		if err := s.set(&cfg, raw); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.Env, err))
		}
	}
	for _, v := range f.values {
		if v.set {
			_ = v.setting.set(&cfg, v.raw) // already parsed once by Set
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	if err := resolveMasterSecret(&cfg); err != nil {
		return Config{}, err
	}
	// Issuers are PublicURL + "/" + tenant: "https://id.example.com/" must not
	// produce a double slash.
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return cfg, nil
}

// Load parses args as configuration flags only (every setting) and layers them as
// Flags.Load does. Use Bind when a command has flags of its own.
func Load(args []string, lookupEnv func(string) (string, bool)) (Config, error) {
	fs := flag.NewFlagSet("sigil", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := Bind(fs, AllSettings)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return f.Load(lookupEnv)
}

// loadFile decodes the YAML file over cfg. Unknown keys are an error, so a typo
// does not silently leave a default in place.
func loadFile(cfg *Config, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}
