// Package deploy implements `hangar deploy`: send fly.toml to the agent and show the deploy's progress.
package deploy

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/toml"
)

// Client is what deploy needs of the agent.
type Client interface {
	Deploy(ctx context.Context, app string, req api.DeployRequest, progress func(api.DeployEvent)) (api.Release, error)
}

var _ Client = (*api.Client)(nil)

// Options is `hangar deploy`.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName     string
	ConfigPath  string
	Image       string
	HA          bool
	Strategy    string
	WaitTimeout time.Duration
	Detach      bool
}

// NewCmdDeploy binds and checks flags into Options.
func NewCmdDeploy(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Deploy the app in fly.toml as machines on your private network",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := bind(f, opts, app); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	fl := cmd.Flags()
	fl.StringVarP(&opts.Image, "image", "i", "", "The image to deploy (default: [build] image in fly.toml)")
	fl.BoolVar(&opts.HA, "ha", true, "Create a second machine for each process group with services, for availability")
	fl.StringVar(&opts.Strategy, "strategy", "", "How to replace existing machines: rolling or immediate (default rolling)")
	fl.DurationVar(&opts.WaitTimeout, "wait-timeout", 5*time.Minute, "How long to wait for a machine to listen on its internal port")
	fl.BoolVar(&opts.Detach, "detach", false, "Return once the deploy has started; it goes on in the agent")
	// flyctl's flag for building with the local Docker; hangar has no remote builder, so
	// every build is local and the flag is accepted for scripts written for flyctl.
	fl.Bool("local-only", true, "Build the image with the local Docker engine (always so in hangar)")
	return cmd
}

func bind(f *cmdutil.Factory, opts *Options, app cmdutil.AppFlags) error {
	if s := opts.Strategy; s != "" && s != "rolling" && s != "immediate" {
		return cmdutil.FlagErrorf("--strategy must be rolling or immediate, got %q", s)
	}
	if opts.WaitTimeout <= 0 {
		return cmdutil.FlagErrorf("--wait-timeout must be positive, got %s", opts.WaitTimeout)
	}
	wd, err := f.WorkingDir()
	if err != nil {
		return err
	}
	opts.ConfigPath = cmdutil.ConfigPath(wd, app.Config)
	opts.AppName, err = app.Resolve(f)
	return err
}

// Run verifies fly.toml, sends it to the agent and renders the progress. Launch calls it too.
func Run(ctx context.Context, opts *Options) error {
	text, err := verifyConfig(opts)
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	req := api.DeployRequest{Config: string(text), ConfigPath: opts.ConfigPath, Image: opts.Image, BuildDir: filepath.Dir(opts.ConfigPath),
		HA: opts.HA, Strategy: opts.Strategy, WaitTimeout: int(opts.WaitTimeout / time.Second)}
	r := newRenderer(opts.IO)
	defer r.close()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	_, err = c.Deploy(ctx, opts.AppName, req, func(ev api.DeployEvent) {
		r.event(ev)
		if opts.Detach && ev.Kind == api.EventMachine {
			stop()
		}
	})
	if opts.Detach && ctx.Err() != nil {
		r.close()
		fmt.Fprintf(opts.IO.ErrOut, "The deploy goes on in the hangar agent: follow it with hangar status -a %s\n", opts.AppName)
		return nil
	}
	return err
}

// verifyConfig prints flyctl's verification lines and every problem of fly.toml.
func verifyConfig(opts *Options) ([]byte, error) {
	fmt.Fprintln(opts.IO.ErrOut, "==> Verifying app config")
	text, err := os.ReadFile(opts.ConfigPath)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w: run hangar launch first, or pass -c", opts.ConfigPath, err)
	}
	cfg, err := toml.Parse(opts.ConfigPath, text)
	if err != nil {
		return nil, err
	}
	problems := cfg.Validate()
	for _, p := range problems {
		fmt.Fprintln(opts.IO.ErrOut, p.String())
	}
	if toml.HasErrors(problems) {
		return nil, fmt.Errorf("%s is not valid; fix the problems above", opts.ConfigPath)
	}
	fmt.Fprintln(opts.IO.ErrOut, "--> Verified app config")
	return text, nil
}
