// Package version implements `hangar version`.
package version

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Info is the --json shape.
type Info struct {
	Version string `json:"version"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	Go      string `json:"go"`
}

// NewCmdVersion prints the version without touching the agent.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Show the version of hangar",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			info := Info{Version: f.Version, OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version()}
			if asJSON {
				return cmdutil.PrintJSON(f.IOStreams.Out, info)
			}
			_, err := fmt.Fprintf(f.IOStreams.Out, "hangar v%s %s/%s %s\n", info.Version, info.OS, info.Arch, info.Go)
			return err
		},
	}
	cmdutil.AddJSONFlag(cmd, &asJSON)
	return cmd
}
