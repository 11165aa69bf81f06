package secrets

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// ListOptions is `hangar secrets list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	JSON    bool
}

// NewCmdList binds flags into ListOptions; runF replaces the run function in tests.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List application secret names, digests and whether they are deployed",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runList(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := c.ListSecrets(ctx, opts.AppName)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, toJSON(list))
	}
	t := tableprinter.New(opts.IO.Out, opts.IO.IsStdoutTTY(), "Name", "Digest", "Status")
	staged := 0
	for _, s := range list {
		name := s.Name
		if s.Status == api.SecretStaged {
			name, staged = "* "+name, staged+1
		}
		t.AddRow(name, s.Digest, s.Status)
	}
	if err := t.Render(); err != nil {
		return err
	}
	printFooter(opts.IO, staged)
	return nil
}

// printFooter is flyctl's note about secrets not on the machines yet.
func printFooter(io *iostreams.IOStreams, staged int) {
	switch {
	case staged == 1:
		fmt.Fprintln(io.ErrOut, "There is 1 secret not deployed. Deploy with `hangar secrets deploy` to make them available.")
	case staged > 1:
		fmt.Fprintf(io.ErrOut, "There are %d secrets not deployed. Deploy with `hangar secrets deploy` to make them available.\n", staged)
	}
}

// secretJSON is flyctl's --json shape.
type secretJSON struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
	Status string `json:"status"`
}

func toJSON(list []api.Secret) []secretJSON {
	out := make([]secretJSON, 0, len(list))
	for _, s := range list {
		out = append(out, secretJSON{Name: s.Name, Digest: s.Digest, Status: s.Status})
	}
	return out
}
