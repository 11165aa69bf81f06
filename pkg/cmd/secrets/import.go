package secrets

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/secrets"
)

// NewCmdImport is `hangar secrets import`: `secrets set` with the pairs read from
// standard input, so it shares SetOptions and runSet; runF replaces runSet in tests.
func NewCmdImport(f *cmdutil.Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "import [flags]",
		Short: "Set secrets as NAME=VALUE pairs from stdin",
		Long: "Set one or more encrypted secrets for an application. Values are read from stdin as NAME=VALUE pairs, " +
			"one a line; blank lines and lines starting with # are skipped, a value may be quoted, and one in \"\"\"…\"\"\" may span lines.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.Secrets, err = secrets.Parse(opts.IO.In); err != nil {
				return fmt.Errorf("parsing secrets from standard input: %w", err)
			}
			if len(opts.Secrets) == 0 {
				return errors.New("requires at least one SECRET=VALUE pair")
			}
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSet(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	opts.Rollout.addFlags(cmd)
	return cmd
}
