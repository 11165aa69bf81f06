package secrets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/secrets"
)

// SetOptions is `hangar secrets set`.
type SetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	Secrets map[string]string
	Rollout
}

// NewCmdSet binds arguments and flags into SetOptions; runF replaces the run function in tests.
func NewCmdSet(f *cmdutil.Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "set [flags] NAME=VALUE NAME=VALUE ...",
		Short: "Set one or more encrypted secrets for an application",
		Long:  "Set one or more encrypted secrets for an application. NAME=- reads the value from standard input (64 KiB at most).",
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Secrets, err = parsePairs(args, opts.IO.In); err != nil {
				return err
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

// parsePairs reads NAME=VALUE arguments; a value of "-" is read from stdin, once.
func parsePairs(args []string, stdin io.Reader) (map[string]string, error) {
	if len(args) == 0 {
		return nil, cmdutil.FlagErrorf("requires at least one SECRET=VALUE pair")
	}
	out := make(map[string]string, len(args))
	fromStdin := ""
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if !ok {
			return nil, cmdutil.FlagErrorf("'%s': must be in the format NAME=VALUE", name)
		}
		if err := secrets.CheckName(name); err != nil {
			return nil, &cmdutil.FlagError{Err: err}
		}
		if value == "-" {
			if fromStdin != "" {
				return nil, cmdutil.FlagErrorf("secrets %s and %s both read standard input: give one of them its value", fromStdin, name)
			}
			fromStdin = name
			var err error
			if value, err = readStdin(name, stdin); err != nil {
				return nil, err
			}
		}
		out[name] = value
	}
	return out, nil
}

func readStdin(name string, stdin io.Reader) (string, error) {
	if stdin == nil {
		return "", fmt.Errorf("secret `%s` expects standard input but none provided", name)
	}
	data, err := io.ReadAll(io.LimitReader(stdin, secrets.MaxValue+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("reading standard input for %s: %w", name, err)
	case len(data) == 0:
		return "", fmt.Errorf("secret `%s` expects standard input but it was empty: pipe the value in (printf %%s \"$VALUE\" | hangar secrets set %s=-)", name, name)
	case len(data) > secrets.MaxValue:
		return "", errors.New("secret `" + name + "` on standard input is over 64 KiB, the limit")
	}
	return string(data), nil
}

func runSet(ctx context.Context, opts *SetOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	res, err := c.SetSecrets(ctx, opts.AppName, api.SetSecretsRequest{Secrets: opts.Secrets})
	if err != nil {
		return err
	}
	return afterChange(ctx, opts.IO, c, opts.AppName, res, opts.Rollout)
}
