package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// outputFlag is --output: text for people, json for scripts. The JSON shapes are
// stable: fields are added, never renamed or removed.
type outputFlag struct{ format string }

func bindOutput(fs *flag.FlagSet) *outputFlag {
	o := &outputFlag{format: "text"}
	fs.Func("output", "output format: text or json (default \"text\")", func(v string) error {
		if v != "text" && v != "json" {
			return fmt.Errorf("must be text or json")
		}
		o.format = v
		return nil
	})
	return o
}

func (o *outputFlag) json() bool { return o.format == "json" }

// write prints v as indented JSON or the text as given.
func (o *outputFlag) write(w io.Writer, v any, text string) error {
	if o.json() {
		return writeJSON(w, v)
	}
	_, err := io.WriteString(w, text)
	return err
}

// writeTable prints rows (a slice of n JSON-shaped values) as JSON, or as
// aligned columns with row(i) giving the cells of row i.
func (o *outputFlag) writeTable(w io.Writer, rows any, n int, header []string, row func(i int) []string) error {
	if o.json() {
		return writeJSON(w, rows)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for i := range n {
		fmt.Fprintln(tw, strings.Join(row(i), "\t"))
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
