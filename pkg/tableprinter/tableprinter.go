// Package tableprinter prints rows as flyctl does: padded upper-case headers on a terminal, tab-separated when piped.
package tableprinter

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Printer collects rows and writes them on Render.
type Printer struct {
	w       io.Writer
	tty     bool
	headers []string
	rows    [][]string
}

// New prints to w; tty chooses aligned columns over tab-separated values.
func New(w io.Writer, tty bool, headers ...string) *Printer {
	return &Printer{w: w, tty: tty, headers: headers}
}

// AddRow adds one row of cells.
func (p *Printer) AddRow(cells ...string) { p.rows = append(p.rows, cells) }

// Render writes the header and every row.
func (p *Printer) Render() error {
	if !p.tty {
		return p.renderPlain()
	}
	tw := tabwriter.NewWriter(p.w, 0, 8, 1, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(p.headers, "\t")))
	for _, r := range p.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// renderPlain is for scripts: tab-separated cells, headers kept as flyctl keeps them.
func (p *Printer) renderPlain() error {
	if _, err := fmt.Fprintln(p.w, strings.ToUpper(strings.Join(p.headers, "\t"))); err != nil {
		return err
	}
	for _, r := range p.rows {
		if _, err := fmt.Fprintln(p.w, strings.Join(r, "\t")); err != nil {
			return err
		}
	}
	return nil
}
