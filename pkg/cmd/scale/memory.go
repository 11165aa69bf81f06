package scale

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// MemoryOptions is `hangar scale memory MB`.
type MemoryOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName  string
	MemoryMB int
}

// NewCmdMemory binds `scale memory MB` into MemoryOptions.
func NewCmdMemory(f *cmdutil.Factory, runF func(*MemoryOptions) error) *cobra.Command {
	opts := &MemoryOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "memory MB",
		Short: "Give every machine of the app this much memory, replacing them one at a time",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			mb, err := strconv.Atoi(args[0])
			if err != nil || mb <= 0 {
				return cmdutil.FlagErrorf("invalid memory %q: give megabytes as a whole number, like 512", args[0])
			}
			opts.MemoryMB = mb
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runMemory(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	return cmd
}

func runMemory(ctx context.Context, opts *MemoryOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	res, err := c.ScaleMemory(ctx, opts.AppName, opts.MemoryMB)
	for _, m := range res.Machines {
		fmt.Fprintf(opts.IO.Out, "  Updated %s group:%s region:%s size:%s memory:%d MB\n", m.ID, m.Group, m.Region, m.Size, opts.MemoryMB)
	}
	return err
}
