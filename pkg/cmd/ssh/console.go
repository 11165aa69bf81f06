package ssh

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/machine"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// ConsoleOptions is `hangar ssh console`.
type ConsoleOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (Client, error)
	Prompter cmdutil.Prompter
	// Term is the local terminal the session takes over; nil when stdin is not a terminal.
	Term machine.Terminal

	AppName   string
	Command   string // -C: run this with /bin/sh -c instead of a shell
	MachineID string
	Select    bool
}

// NewCmdConsole binds `ssh console` into ConsoleOptions.
func NewCmdConsole(f *cmdutil.Factory, runF func(*ConsoleOptions) error) *cobra.Command {
	opts := &ConsoleOptions{IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }, Prompter: f.Prompter}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Open a shell (or run one command) in a running machine of the app",
		Long:  "Open /bin/sh, or run one command with -C, in the app container of a running machine, starting one when none runs. The command's exit code is hangar's.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if opts.Select && opts.MachineID != "" {
				return cmdutil.FlagErrorf("--select and --machine both pick the machine: pass one of them")
			}
			if opts.Select && !opts.IO.CanPrompt() {
				return cmdutil.FlagErrorf("--select needs a terminal: pass --machine ID instead")
			}
			opts.Term = machine.StdinTerminal(f.IOStreams.In)
			if runF != nil {
				return runF(opts)
			}
			return runConsole(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().StringVarP(&opts.Command, "command", "C", "", "Command to run instead of a shell (through /bin/sh -c)")
	cmd.Flags().StringVar(&opts.MachineID, "machine", "", "The machine to connect to")
	cmd.Flags().BoolVarP(&opts.Select, "select", "s", false, "Pick the machine from a list")
	return cmd
}

func runConsole(ctx context.Context, opts *ConsoleOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	id, err := pickMachine(ctx, c, opts)
	if err != nil {
		return err
	}
	cmd := []string{"/bin/sh"}
	if opts.Command != "" {
		cmd = append(cmd, "-c", opts.Command)
	}
	conn, execID, err := c.Exec(ctx, opts.AppName, id, api.ExecRequest{Cmd: cmd, Tty: opts.Term != nil})
	if err != nil {
		return err
	}
	defer conn.Close()
	resize := func(ctx context.Context, rows, cols int) error {
		return c.ResizeExec(ctx, opts.AppName, execID, rows, cols)
	}
	s := &machine.Session{IO: opts.IO, Term: opts.Term, ID: id, Conn: conn, Resize: resize}
	if err := s.Run(ctx); err != nil {
		return err
	}
	code, err := c.ExecExitCode(ctx, opts.AppName, execID)
	if err != nil {
		return fmt.Errorf("reading the exit code in machine %s: %w", id, err)
	}
	if code != 0 {
		return &cmdutil.ExitCodeError{Code: code}
	}
	return nil
}

// pickMachine is --machine, a choice at the prompt (-s), or the first running machine,
// else the first deployed one, which the agent wakes.
func pickMachine(ctx context.Context, c Client, opts *ConsoleOptions) (string, error) {
	if opts.MachineID != "" {
		return opts.MachineID, nil
	}
	ms, err := c.ListMachines(ctx, opts.AppName)
	if err != nil {
		return "", err
	}
	if len(ms) == 0 {
		return "", fmt.Errorf("app %s has no machines: create them with hangar deploy", opts.AppName)
	}
	if opts.Select {
		return selectMachine(opts, ms)
	}
	for _, m := range ms {
		if m.State == "started" {
			return m.ID, nil
		}
	}
	for _, m := range ms {
		if m.Version > 0 {
			return m.ID, nil
		}
	}
	return ms[0].ID, nil
}

func selectMachine(opts *ConsoleOptions, ms []api.Machine) (string, error) {
	options := make([]string, len(ms))
	byOption := map[string]string{}
	for i, m := range ms {
		options[i] = fmt.Sprintf("%s: %s %s (%s)", m.Region, m.ID, m.PrivateIP, m.State)
		byOption[options[i]] = m.ID
	}
	choice, err := opts.Prompter.Select("Select VM:", options, options[0])
	return byOption[choice], err
}
