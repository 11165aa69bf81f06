// Package root assembles every hangar command under one cobra root.
package root

import (
	"github.com/spf13/cobra"

	agentcmd "github.com/hangarhq/hangar/pkg/cmd/agent"
	"github.com/hangarhq/hangar/pkg/cmd/apps"
	"github.com/hangarhq/hangar/pkg/cmd/config"
	deploycmd "github.com/hangarhq/hangar/pkg/cmd/deploy"
	"github.com/hangarhq/hangar/pkg/cmd/doctor"
	"github.com/hangarhq/hangar/pkg/cmd/ips"
	launchcmd "github.com/hangarhq/hangar/pkg/cmd/launch"
	"github.com/hangarhq/hangar/pkg/cmd/logs"
	machinecmd "github.com/hangarhq/hangar/pkg/cmd/machine"
	"github.com/hangarhq/hangar/pkg/cmd/orgs"
	proxycmd "github.com/hangarhq/hangar/pkg/cmd/proxy"
	"github.com/hangarhq/hangar/pkg/cmd/releases"
	"github.com/hangarhq/hangar/pkg/cmd/scale"
	secretscmd "github.com/hangarhq/hangar/pkg/cmd/secrets"
	sshcmd "github.com/hangarhq/hangar/pkg/cmd/ssh"
	"github.com/hangarhq/hangar/pkg/cmd/status"
	"github.com/hangarhq/hangar/pkg/cmd/version"
	"github.com/hangarhq/hangar/pkg/cmd/volumes"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// NewCmdRoot is `hangar`.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:           "hangar",
		Short:         "Run private Fly.io-style apps on one machine",
		Long:          "Hangar runs your fly.toml apps as Docker machines on a private IPv6 network, wakes them on the first request and stops them when idle.",
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       f.Version,
	}
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.AddCommand(
		launchcmd.NewCmdLaunch(f, nil),
		deploycmd.NewCmdDeploy(f, nil),
		status.NewCmdStatus(f, nil),
		machinecmd.NewCmdMachine(f),
		logs.NewCmdLogs(f, nil),
		proxycmd.NewCmdProxy(f, nil),
		releases.NewCmdReleases(f, nil),
		scale.NewCmdScale(f),
		sshcmd.NewCmdSSH(f),
		ips.NewCmdIPs(f),
		secretscmd.NewCmdSecrets(f),
		volumes.NewCmdVolumes(f),
		apps.NewCmdApps(f),
		orgs.NewCmdOrgs(f),
		config.NewCmdConfig(f),
		agentcmd.NewCmdAgent(f),
		doctor.NewCmdDoctor(f, nil),
		version.NewCmdVersion(f),
	)
	cmd.InitDefaultCompletionCmd() // now, not at Execute, so its group is checked too
	requireKnownSubcommands(cmd)
	return cmd
}
