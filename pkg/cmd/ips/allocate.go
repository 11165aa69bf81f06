package ips

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// AllocateOptions is `hangar ips allocate-v6`.
type AllocateOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	Now    func() time.Time

	AppName string
	JSON    bool
}

// NewCmdAllocateV6 refuses public addresses: a Hangar app is private, so --private is required.
func NewCmdAllocateV6(f *cmdutil.Factory, runF func(*AllocateOptions) error) *cobra.Command {
	opts := &AllocateOptions{IO: f.IOStreams, Client: clientFunc(f), Now: f.Now}
	var app cmdutil.AppFlags
	var private bool
	cmd := &cobra.Command{
		Use:   "allocate-v6 --private",
		Short: "Allocate a private (Flycast) IPv6 address to the app",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !private {
				return cmdutil.FlagErrorf("hangar apps are private and never get a public address: add --private")
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runAllocate(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.Flags().BoolVar(&private, "private", false, "Allocate a private IPv6 address (Flycast), reachable only inside the organization")
	return cmd
}

func runAllocate(ctx context.Context, opts *AllocateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ip, err := c.AllocateIP(ctx, opts.AppName, api.IPTypePrivateV6)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, toJSON([]api.IPAddress{ip})[0])
	}
	return printIPs(opts.IO, opts.Now(), []api.IPAddress{ip})
}
