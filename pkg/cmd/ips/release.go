package ips

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// ReleaseOptions is `hangar ips release ADDRESS…`.
type ReleaseOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName   string
	Addresses []netip.Addr
}

// NewCmdRelease checks every address before releasing any.
func NewCmdRelease(f *cmdutil.Factory, runF func(*ReleaseOptions) error) *cobra.Command {
	opts := &ReleaseOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "release ADDRESS...",
		Short: "Release IP addresses from the app",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				addr, err := netip.ParseAddr(a)
				if err != nil {
					return cmdutil.FlagErrorf("Invalid IP address: '%s'", a)
				}
				opts.Addresses = append(opts.Addresses, addr)
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runRelease(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	return cmd
}

func runRelease(ctx context.Context, opts *ReleaseOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	for _, addr := range opts.Addresses {
		if err := c.ReleaseIP(ctx, opts.AppName, addr.String()); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "Released %s from %s\n", addr, opts.AppName)
	}
	return nil
}
