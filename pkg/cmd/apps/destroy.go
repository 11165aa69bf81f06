package apps

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// DestroyOptions is `hangar apps destroy NAME…`.
type DestroyOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (Client, error)
	Prompter cmdutil.Prompter

	Names []string
	Yes   bool
}

// NewCmdDestroy asks before destroying unless --yes; without a terminal --yes is required.
func NewCmdDestroy(f *cmdutil.Factory, runF func(*DestroyOptions) error) *cobra.Command {
	opts := &DestroyOptions{IO: f.IOStreams, Client: clientFunc(f), Prompter: f.Prompter}
	cmd := &cobra.Command{
		Use:     "destroy NAME...",
		Aliases: []string{"delete", "remove", "rm"},
		Short:   "Permanently destroy apps, with their machines and addresses",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Names = args
			if !opts.Yes && !opts.IO.CanPrompt() {
				return cmdutil.FlagErrorf("--yes is required when not running interactively")
			}
			if runF != nil {
				return runF(opts)
			}
			return runDestroy(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Accept all confirmations")
	return cmd
}

func runDestroy(ctx context.Context, opts *DestroyOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	for _, name := range opts.Names {
		if !opts.Yes {
			ok, err := opts.Prompter.Confirm(fmt.Sprintf("Destroy app %s?", name), false)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		if err := c.DestroyApp(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "Destroyed app %s\n", name)
	}
	return nil
}
