// Package hangarcmd is the hangar program: it builds the Factory, runs the command and turns errors into exit codes.
package hangarcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/root"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/prompt"
)

// Version is set at build time (-ldflags "-X github.com/hangarhq/hangar/pkg/hangarcmd.Version=…").
var Version = "0.1.0-dev"

// Exit codes.
const (
	exitOK     = 0
	exitError  = 1
	exitUsage  = 2
	exitCancel = 130
)

// Main runs hangar with the process's arguments and returns its exit code.
func Main(args []string) int {
	f := cmdutil.New(Version)
	f.Prompter = &prompt.Huh{In: f.IOStreams.In, Out: f.IOStreams.ErrOut}
	return run(f, args)
}

// run is Main over a given Factory, so tests see the exit code and what was printed.
func run(f *cmdutil.Factory, args []string) int {
	cmd := root.NewCmdRoot(f)
	cmd.SetArgs(args)
	failed, err := cmd.ExecuteContextC(context.Background())
	return exitCode(failed, withHint(err), f.IOStreams.ErrOut)
}

// hints add the fix to agent errors that do not carry one.
var hints = map[string]string{
	"app_not_found": "see your apps with hangar apps list",
	"org_not_found": "see your organizations with hangar orgs list",
	"ip_not_found":  "see the app's addresses with hangar ips list",
	"prefix_full":   "release unused addresses with hangar ips release",
}

func withHint(err error) error {
	var apiErr *api.Error
	if errors.As(err, &apiErr) && hints[apiErr.Code] != "" {
		return fmt.Errorf("%w: %s", err, hints[apiErr.Code])
	}
	return err
}

// exitCode prints err as one line with its fix and maps it to an exit code.
func exitCode(cmd *cobra.Command, err error, w io.Writer) int {
	var flagErr *cmdutil.FlagError
	var codeErr *cmdutil.ExitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &codeErr):
		return codeErr.Code
	case errors.Is(err, cmdutil.ErrSilent):
		return exitError
	case errors.Is(err, cmdutil.ErrCancel):
		fmt.Fprintln(w, "Cancelled")
		return exitCancel
	case errors.As(err, &flagErr) || strings.HasPrefix(err.Error(), "unknown command"):
		fmt.Fprintf(w, "Error: %v\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
		return exitUsage
	}
	fmt.Fprintf(w, "Error: %v\n", err)
	return exitError
}
