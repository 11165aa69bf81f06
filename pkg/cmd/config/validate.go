// Package config implements `hangar config`: check fly.toml.
package config

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/toml"
)

// NewCmdConfig is `hangar config`.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Aliases: []string{"cfg"}, Short: "Work with fly.toml"}
	cmd.AddCommand(NewCmdValidate(f, nil))
	return cmd
}

// ValidateOptions is `hangar config validate`.
type ValidateOptions struct {
	IO     *iostreams.IOStreams
	Path   string
	Strict bool
}

// NewCmdValidate checks fly.toml locally; it needs no agent.
func NewCmdValidate(f *cmdutil.Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: f.IOStreams}
	var configFlag string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check fly.toml and print every problem",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			wd, err := f.WorkingDir()
			if err != nil {
				return err
			}
			opts.Path = cmdutil.ConfigPath(wd, configFlag)
			if runF != nil {
				return runF(opts)
			}
			return runValidate(opts)
		},
	}
	cmd.Flags().StringVarP(&configFlag, "config", "c", "", "Path to application configuration file")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "Also report keys flyctl does not know")
	return cmd
}

func runValidate(opts *ValidateOptions) error {
	fmt.Fprintf(opts.IO.ErrOut, "Validating %s\n", opts.Path)
	cfg, err := toml.Load(opts.Path)
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "✘ %v\n", err)
		return cmdutil.ErrSilent
	}
	errs := 0
	for _, p := range cfg.Validate() {
		fmt.Fprintln(opts.IO.Out, p.String())
		if !p.Warning {
			errs++
		}
	}
	if opts.Strict {
		for _, k := range cfg.UnknownKeys() {
			if k == toml.HangarTable || strings.HasPrefix(k, toml.HangarTable+".") {
				continue // hangar's own section, which flyctl ignores
			}
			fmt.Fprintf(opts.IO.Out, "%s: unrecognized key %s\n", opts.Path, k)
			errs++
		}
	}
	if errs > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "✘ App configuration is not valid: %d problem(s)\n", errs)
		return cmdutil.ErrSilent
	}
	fmt.Fprintln(opts.IO.ErrOut, "✓ Configuration is valid")
	return nil
}
