// Package orgs implements `hangar orgs`: the organizations and their private prefixes.
package orgs

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// Client is what the orgs commands need of the agent.
type Client interface {
	ListOrgs(ctx context.Context) ([]api.Organization, error)
}

var _ Client = (*api.Client)(nil)

// NewCmdOrgs is `hangar orgs`.
func NewCmdOrgs(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "orgs", Aliases: []string{"org"}, Short: "Manage organizations"}
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}

// ListOptions is `hangar orgs list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	JSON   bool
}

// NewCmdList binds flags into ListOptions.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List organizations and their private network prefixes",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runList(cmd.Context(), opts)
		},
	}
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	orgs, err := c.ListOrgs(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, orgs)
	}
	// The prefix column answers "which network is this Flycast address in" (flyctl#1962).
	t := tableprinter.New(opts.IO.Out, opts.IO.IsStdoutTTY(), "Name", "Slug", "Type", "Private Network")
	for _, o := range orgs {
		t.AddRow(o.Name, o.Slug, orgType(o.Slug), o.Prefix)
	}
	return t.Render()
}

func orgType(slug string) string {
	if slug == "personal" {
		return "PERSONAL"
	}
	return "SHARED"
}
