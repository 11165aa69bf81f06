package machine

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// StatusOptions is `hangar machine status ID`.
type StatusOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	ID      string
	JSON    bool
}

// NewCmdStatus shows one machine.
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "status ID",
		Short: "Show the current status of a machine",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runStatus(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runStatus(ctx context.Context, opts *StatusOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	m, err := c.GetMachine(ctx, opts.AppName, opts.ID)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, m)
	}
	fmt.Fprintf(opts.IO.Out, "Machine ID: %s\nVersion: %d\nState: %s\n\n", m.ID, m.Version, m.State)
	printVertical(opts.IO.Out, "VM", statusRows(m))
	return nil
}

// statusRows are flyctl's VM block, with the exit code and last error when the machine has them.
func statusRows(m api.Machine) [][2]string {
	rows := [][2]string{
		{"ID", m.ID},
		{"Version", strconv.Itoa(m.Version)},
		{"State", m.State},
		{"Image", m.Image},
		{"Name", m.Name},
		{"Private IP", m.PrivateIP},
		{"Process Group", m.ProcessGroup},
		{"Region", m.Region},
		{"Size", sizeText(m.Guest)},
		{"Created", timeText(m.CreatedAt)},
		{"Updated", timeText(m.UpdatedAt)},
	}
	if m.ExitCode != 0 {
		rows = append(rows, [2]string{"Exit Code", strconv.Itoa(m.ExitCode)})
	}
	if m.LastError != "" {
		rows = append(rows, [2]string{"Last Error", m.LastError})
	}
	return rows
}

// printVertical is flyctl's vertical table: a title, then "  Key = value" with the keys padded.
func printVertical(w io.Writer, title string, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	fmt.Fprintln(w, title)
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s = %s\n", width, r[0], r[1])
	}
}
