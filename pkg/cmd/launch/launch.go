// Package launch implements `hangar launch`: plan a new app, write fly.toml, create the app and its private address.
package launch

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/api"
	deploycmd "github.com/hangarhq/hangar/pkg/cmd/deploy"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/toml"
)

// Client is what launch needs of the agent.
type Client interface {
	ListOrgs(ctx context.Context) ([]api.Organization, error)
	CreateApp(ctx context.Context, req api.CreateAppRequest) (api.CreateAppResponse, error)
	DestroyApp(ctx context.Context, app string) error
	GetApp(ctx context.Context, app string) (api.App, error)
	Health(ctx context.Context) (api.Health, error)
}

var _ Client = (*api.Client)(nil)

// Options is `hangar launch`.
type Options struct {
	IO       *iostreams.IOStreams
	Client   func() (Client, error)
	Prompter launch.Prompter
	Now      func() time.Time

	// Deploy deploys the launched app (hangar deploy's run function; faked in tests).
	Deploy func(ctx context.Context, app, configPath string) error

	Input      launch.Input
	NoDeploy   bool
	Yes        bool
	CopyConfig bool
}

// NewCmdLaunch binds and checks flags into Options.
func NewCmdLaunch(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Prompter: f.Prompter, Now: f.Now}
	opts.Client = func() (Client, error) { return f.Client() }
	opts.Deploy = func(ctx context.Context, app, configPath string) error {
		return deploycmd.Run(ctx, &deploycmd.Options{IO: f.IOStreams, Client: func() (deploycmd.Client, error) { return f.Client() },
			AppName: app, ConfigPath: configPath, HA: true, WaitTimeout: 5 * time.Minute})
	}
	var path, autoStop string
	cmd := &cobra.Command{
		Use:   "launch",
		Short: "Create a new private app: write fly.toml and allocate its Flycast address",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := bindInput(f, opts, path, autoStop); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runLaunch(cmd.Context(), opts)
		},
	}
	addFlags(cmd, opts, &path, &autoStop)
	return cmd
}

func addFlags(cmd *cobra.Command, opts *Options, path, autoStop *string) {
	fl := cmd.Flags()
	fl.StringVarP(&opts.Input.Image, "image", "i", "", "The image to run (e.g. nginxdemos/hello)")
	fl.StringVar(&opts.Input.Name, "name", "", "Name of the new app")
	fl.StringVarP(&opts.Input.Org, "org", "o", "", "The organization to create the app in (default personal)")
	fl.StringVarP(&opts.Input.Region, "region", "r", "", "The primary region written to fly.toml (default iad)")
	fl.IntVar(&opts.Input.InternalPort, "internal-port", 0, "The port the app listens on (default 8080)")
	fl.BoolVar(&opts.Input.Flycast, "flycast", false, "Give the app a private Flycast address only (hangar apps are always private)")
	fl.StringVar(autoStop, "auto-stop", "stop", "Stop idle machines: off, stop or suspend")
	fl.BoolVar(&opts.NoDeploy, "no-deploy", false, "Do not deploy the app after creating it")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "Accept every default without asking")
	fl.BoolVar(&opts.CopyConfig, "copy-config", false, "Use the existing fly.toml as the new app's configuration")
	fl.StringVar(path, "path", ".", "The directory to launch in")
}

// bindInput checks the flags and resolves the directory.
func bindInput(f *cmdutil.Factory, opts *Options, path, autoStop string) error {
	if p := opts.Input.InternalPort; p != 0 && (p < 1 || p > 65535) {
		return cmdutil.FlagErrorf("--internal-port must be 1-65535, got %d", p)
	}
	if opts.Input.Name != "" {
		if err := launch.ValidateAppName(opts.Input.Name); err != nil {
			return &cmdutil.FlagError{Err: err}
		}
	}
	as, err := toml.ParseAutoStop(autoStop)
	if err != nil {
		return cmdutil.FlagErrorf("--auto-stop must be off, stop or suspend, got %q", autoStop)
	}
	opts.Input.AutoStop = as
	wd, err := f.WorkingDir()
	if err != nil {
		return err
	}
	opts.Input.Dir = path
	if !filepath.IsAbs(path) {
		opts.Input.Dir = filepath.Join(wd, path)
	}
	return nil
}

func (o *Options) interactive() bool { return !o.Yes && o.IO.CanPrompt() }

func (o *Options) say(format string, args ...any) { fmt.Fprintf(o.IO.ErrOut, format+"\n", args...) }
