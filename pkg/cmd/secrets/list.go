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
	staged, partial := 0, 0
	for _, s := range list {
		name := s.Name
		switch s.Status {
		case api.SecretStaged:
			name, staged = "* "+name, staged+1
		case api.SecretPartial:
			name, partial = "! "+name, partial+1
		}
		t.AddRow(name, s.Digest, s.Status)
	}
	if err := t.Render(); err != nil {
		return err
	}
	printFooter(opts.IO, staged, partial)
	return nil
}

// printFooter is flyctl's note about secrets not on every machine yet.
func printFooter(io *iostreams.IOStreams, staged, partial int) {
	w := io.ErrOut
	switch {
	case staged > 0 && partial > 0:
		fmt.Fprintf(w, "Some secrets need to be deployed:\n  * %s staged (not yet deployed)\n", count(staged, "secret"))
		fmt.Fprintf(w, "  ! %s partially deployed (deployed to some machines)\n", count(partial, "secret"))
		fmt.Fprintf(w, "\nDeploy with `hangar secrets deploy` to sync all machines.\n")
	case staged > 0:
		fmt.Fprintf(w, "There %s not deployed. Deploy with `hangar secrets deploy` to make them available.\n", isAre(staged))
	case partial > 0:
		fmt.Fprintf(w, "There %s partially deployed. This can happen during rolling deployments or if some machines failed to update. "+
			"Deploy with `hangar secrets deploy` to ensure all machines have the latest configuration.\n", isAre(partial))
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func isAre(n int) string {
	if n == 1 {
		return "is 1 secret"
	}
	return "are " + count(n, "secret")
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
