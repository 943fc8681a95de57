package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/server/directory"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // unknown command or flag, missing argument
)

// cli carries a command's inputs and outputs, so tests run commands in-process.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
	// serve runs the HTTP server until ctx is done (httpserver.Run).
	serve func(ctx context.Context, cfg config.Config, h http.Handler, logger *slog.Logger) error
}

// command is one entry of a command table.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, c *cli, args []string) error
}

// usageError means the command line was wrong: the usage has been printed and
// the exit code is 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// run executes the command line and returns the exit code.
func (c *cli) run(ctx context.Context, args []string) int {
	err := dispatch(ctx, c, "sigil", commands, args)
	var usage *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &usage):
		if usage.msg != "" {
			fmt.Fprintf(c.stderr, "sigil: %s\n", usage.msg)
		}
		return exitUsage
	default:
		printError(c.stderr, err)
		return exitError
	}
}

// printError writes err to w, one line per problem when it lists several.
func printError(w io.Writer, err error) {
	var invalid *directory.ValidationError
	if errors.As(err, &invalid) {
		fmt.Fprintln(w, "sigil: invalid input:")
		for _, p := range invalid.Problems {
			fmt.Fprintf(w, "  - %s: %s\n", p.Field, p.Message)
		}
		return
	}
	fmt.Fprintf(w, "sigil: %v\n", err)
}

// dispatch runs the command named by args[0] from table, or prints the table.
func dispatch(ctx context.Context, c *cli, prefix string, table []command, args []string) error {
	if len(args) == 0 {
		printCommands(c.stderr, prefix, table)
		return usageErrorf("")
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		printCommands(c.stdout, prefix, table)
		return nil
	}
	for _, cmd := range table {
		if cmd.name == name {
			return cmd.run(ctx, c, args[1:])
		}
	}
	printCommands(c.stderr, prefix, table)
	return usageErrorf("unknown command %q", strings.TrimSpace(prefix+" "+name))
}

func printCommands(w io.Writer, prefix string, table []command) {
	fmt.Fprintf(w, "usage: %s <command> [flags]\n\ncommands:\n", prefix)
	for _, cmd := range table {
		fmt.Fprintf(w, "  %-12s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> -h' for a command's flags.\n", prefix)
}

// newFlags returns a flag set whose usage names the command and says what it does.
func (c *cli) newFlags(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s %s\n\n%s\n\nflags:\n", name, synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, refusing positional arguments. A bad flag has already
// printed the usage; it becomes a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageErrorf("%v", err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// required reports a usage error naming every missing flag at once.
func required(fs *flag.FlagSet, flags map[string]string) error {
	var missing []string
	fs.VisitAll(func(f *flag.Flag) {
		if v, ok := flags[f.Name]; ok && strings.TrimSpace(v) == "" {
			missing = append(missing, "--"+f.Name)
		}
	})
	if len(missing) == 0 {
		return nil
	}
	fs.Usage()
	return usageErrorf("missing required flag(s): %s", strings.Join(missing, ", "))
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// newLogger builds the process logger from the configuration, writing to w.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.SlogLevel()}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
