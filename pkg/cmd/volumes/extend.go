package volumes

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// ExtendOptions is `hangar volumes extend ID -s N|+N`.
type ExtendOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	ID      string
	SizeGB  int  // the new size, or the increment when Add
	Add     bool // -s +N
	JSON    bool
}

// NewCmdExtend binds flags into ExtendOptions.
func NewCmdExtend(f *cmdutil.Factory, runF func(*ExtendOptions) error) *cobra.Command {
	opts := &ExtendOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	var size string
	cmd := &cobra.Command{
		Use:   "extend ID -s N|+N",
		Short: "Extend a volume to N GB, or by N GB with +N (recorded, not enforced)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if err := parseExtend(opts, size); err != nil {
				return err
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runExtend(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().StringVarP(&size, "size", "s", "", "Target volume size in gigabytes, or +N to add N")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func parseExtend(opts *ExtendOptions, size string) error {
	if err := checkVolumeID(opts.ID); err != nil {
		return err
	}
	if size == "" {
		return cmdutil.FlagErrorf("--size is required: -s N for N GB, or -s +N to add N GB")
	}
	opts.Add = strings.HasPrefix(size, "+")
	n, err := strconv.Atoi(strings.TrimPrefix(size, "+"))
	if err != nil {
		return cmdutil.FlagErrorf("--size %q is not a number of GB: pass -s N or -s +N", size)
	}
	opts.SizeGB = n
	return checkSize(n)
}

func runExtend(ctx context.Context, opts *ExtendOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	size := opts.SizeGB
	if opts.Add {
		v, err := c.GetVolume(ctx, opts.AppName, opts.ID)
		if err != nil {
			return err
		}
		size += v.SizeGB
	}
	v, err := c.ExtendVolume(ctx, opts.AppName, opts.ID, size)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, toJSON(v))
	}
	printVolume(opts.IO.Out, v)
	fmt.Fprintln(opts.IO.ErrOut, "Hangar records the size; Docker's local driver does not limit a volume, so nothing needs a restart.")
	return nil
}
