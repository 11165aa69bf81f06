package machine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// shellsApp holds `run --shell` machines when no app is named, like flyctl's
// interactive-shells app.
const shellsApp = "hangar-shells"

// RunOptions is `hangar machine run IMAGE [COMMAND...]`.
type RunOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	// Term is the local terminal a --shell session takes over; nil when stdin is not a terminal.
	Term Terminal

	AppName  string
	Image    string
	Cmd      []string
	Env      map[string]string
	MemoryMB int
	Rm       bool
	// Shell runs Cmd with a terminal attached here, and the agent destroys the machine when it ends.
	Shell bool
}

// NewCmdRun creates and starts a machine outside a deploy, or with --shell opens a shell in one.
func NewCmdRun(f *cmdutil.Factory, runF func(*RunOptions) error) *cobra.Command {
	opts := &RunOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	var command string
	var env []string
	cmd := &cobra.Command{
		Use:   "run IMAGE [COMMAND...]",
		Short: "Run a machine, or an interactive shell with --shell",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.bind(args, command, env); err != nil {
				return err
			}
			var err error
			if opts.AppName, err = runApp(f, &app, opts.Shell); err != nil {
				return err
			}
			opts.Term = StdinTerminal(f.IOStreams.In)
			if runF != nil {
				return runF(opts)
			}
			return runRun(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().BoolVar(&opts.Shell, "shell", false, "Open a shell on a new machine, destroyed when the shell exits")
	cmd.Flags().StringVar(&command, "command", "", "Command the --shell runs (default /bin/sh)")
	cmd.Flags().BoolVar(&opts.Rm, "rm", false, "Destroy the machine when it exits")
	cmd.Flags().IntVar(&opts.MemoryMB, "vm-memory", 0, "Memory (in megabytes) of the machine")
	cmd.Flags().StringArrayVarP(&env, "env", "e", nil, "Set an environment variable, NAME=VALUE (repeatable)")
	return cmd
}

// bind checks the arguments and flags into the options.
func (o *RunOptions) bind(args []string, command string, env []string) error {
	o.Image, o.Cmd = args[0], args[1:]
	switch {
	case o.Shell && len(o.Cmd) > 0:
		return cmdutil.FlagErrorf("--shell runs --command, not COMMAND arguments: pass --command %q", strings.Join(o.Cmd, " "))
	case !o.Shell && command != "":
		return cmdutil.FlagErrorf("--command is for --shell; pass the command after the image instead")
	case o.MemoryMB < 0:
		return cmdutil.FlagErrorf("--vm-memory must be 0 or more megabytes, got %d", o.MemoryMB)
	case o.Shell:
		o.Cmd = shellCommand(command)
	}
	var err error
	o.Env, err = parseEnv(env)
	return err
}

// shellCommand splits --command on spaces (no shell quoting), defaulting to /bin/sh.
func shellCommand(command string) []string {
	if fields := strings.Fields(command); len(fields) > 0 {
		return fields
	}
	return []string{"/bin/sh"}
}

func parseEnv(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	env := make(map[string]string, len(pairs))
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, cmdutil.FlagErrorf("invalid --env %q: must be in the format NAME=VALUE", kv)
		}
		env[k] = v
	}
	return env, nil
}

// runApp names the app as every command does; a shell started where there is no
// fly.toml and no -a goes to the shells app instead of failing.
func runApp(f *cmdutil.Factory, app *cmdutil.AppFlags, shell bool) (string, error) {
	name, err := app.Resolve(f)
	if err == nil || !shell || app.App != "" || app.Config != "" {
		return name, err
	}
	wd, wdErr := f.WorkingDir()
	if wdErr != nil {
		return "", wdErr
	}
	if _, statErr := os.Stat(cmdutil.ConfigPath(wd, "")); errors.Is(statErr, fs.ErrNotExist) {
		return shellsApp, nil
	}
	return "", err
}

func runRun(ctx context.Context, opts *RunOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Shell {
		return runShell(ctx, c, opts)
	}
	m, err := c.RunMachine(ctx, opts.AppName, opts.request())
	if err != nil {
		return fmt.Errorf("launching a machine in app %s: %w", opts.AppName, err)
	}
	fmt.Fprintf(opts.IO.Out, "Success! A Machine has been successfully launched in app %s\n", opts.AppName)
	fmt.Fprintf(opts.IO.Out, " Machine ID: %s\n Private IP: %s\n", m.ID, m.PrivateIP)
	fmt.Fprintf(opts.IO.ErrOut, "Watch its logs with: hangar logs -a %s -i %s\n", opts.AppName, m.ID)
	return nil
}

func (o *RunOptions) request() api.RunMachineRequest {
	return api.RunMachineRequest{
		Image: o.Image, Cmd: o.Cmd, Env: o.Env, MemoryMB: o.MemoryMB,
		// A terminal only when a person types here, as docker run -t: piped commands then
		// run in order and the shell ends at the end of input.
		Tty: o.Shell && o.Term != nil, Interactive: o.Shell, AutoDestroy: o.Shell || o.Rm,
	}
}
