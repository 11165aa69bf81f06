// Package ips implements `hangar ips`: list, allocate and release an app's private addresses.
package ips

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Client is what the ips commands need of the agent.
type Client interface {
	ListIPs(ctx context.Context, app string) ([]api.IPAddress, error)
	AllocateIP(ctx context.Context, app, typ string) (api.IPAddress, error)
	ReleaseIP(ctx context.Context, app, addr string) error
	ListMachines(ctx context.Context, app string) ([]api.Machine, error)
}

var _ Client = (*api.Client)(nil)

// NewCmdIPs is `hangar ips`.
func NewCmdIPs(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "ips",
		Aliases: []string{"ip"},
		Short:   "Manage an app's private IP addresses",
		Long:    "Manage an app's private IP addresses. Hangar apps are private: every address comes from your organization's fdaa: prefix.",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdAllocateV6(f, nil), NewCmdRelease(f, nil), NewCmdPrivate(f, nil))
	return cmd
}

// clientFunc adapts the Factory's client to this package's interface.
func clientFunc(f *cmdutil.Factory) func() (Client, error) {
	return func() (Client, error) { return f.Client() }
}

// typeText is the TYPE column; flyctl's docs show "private" for a Flycast address.
func typeText(typ string) string {
	if typ == api.IPTypePrivateV6 {
		return "private"
	}
	return typ
}

// versionText is the VERSION column.
func versionText(addr string) string {
	for _, c := range addr {
		if c == ':' {
			return "v6"
		}
	}
	return "v4"
}
