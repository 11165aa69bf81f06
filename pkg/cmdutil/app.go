package cmdutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/toml"
)

// ConfigFileName is the file flyctl and hangar read.
const ConfigFileName = "fly.toml"

// AddAppFlags adds flyctl's -a/--app and -c/--config to a command.
func AddAppFlags(cmd *cobra.Command, app, config *string) {
	cmd.Flags().StringVarP(app, "app", "a", "", "Application name")
	cmd.Flags().StringVarP(config, "config", "c", "", "Path to application configuration file")
}

// ConfigPath resolves -c (a file or a directory) against the working directory.
func ConfigPath(wd, flag string) string {
	p := flag
	if p == "" {
		p = wd
	} else if !filepath.IsAbs(p) {
		p = filepath.Join(wd, p)
	}
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return filepath.Join(p, ConfigFileName)
	}
	return p
}

// ResolveAppName takes -a, then $FLY_APP, then the app in fly.toml, as flyctl does.
func ResolveAppName(wd, appFlag, configFlag string) (string, error) {
	if appFlag != "" {
		return appFlag, nil
	}
	if env := os.Getenv("FLY_APP"); env != "" {
		return env, nil
	}
	path := ConfigPath(wd, configFlag)
	cfg, err := toml.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", FlagErrorf("no app name: pass -a APP, or run in a directory with %s", ConfigFileName)
	}
	if err != nil {
		return "", err
	}
	if cfg.App == "" {
		return "", FlagErrorf("%s has no app name: add app = 'NAME' or pass -a APP", path)
	}
	return cfg.App, nil
}

// AppFlags are -a and -c as one command binds them.
type AppFlags struct {
	App    string
	Config string
}

// Add binds the flags to cmd.
func (a *AppFlags) Add(cmd *cobra.Command) { AddAppFlags(cmd, &a.App, &a.Config) }

// Resolve names the app from the flags, $FLY_APP or fly.toml in the working directory.
func (a *AppFlags) Resolve(f *Factory) (string, error) {
	wd, err := f.WorkingDir()
	if err != nil {
		return "", err
	}
	return ResolveAppName(wd, a.App, a.Config)
}
