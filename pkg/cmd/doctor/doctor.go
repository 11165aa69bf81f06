// Package doctor implements `hangar doctor`: it checks the agent, the Docker engine, the Flycast routes and name resolution, and says how to fix what is broken.
package doctor

import (
	"context"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/miekg/dns"
	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// Client is what `hangar doctor` needs of the agent.
type Client interface {
	Ping(ctx context.Context) (api.AgentStatus, error)
	Health(ctx context.Context) (api.Health, error)
	ListApps(ctx context.Context, org string) ([]api.App, error)
	ListIPs(ctx context.Context, app string) ([]api.IPAddress, error)
}

var _ Client = (*api.Client)(nil)

// Options is `hangar doctor`.
type Options struct {
	IO      *iostreams.IOStreams
	Client  func() (Client, error)
	HomeDir func() string
	// Exchange sends one DNS query to server ("[addr]:53") and returns the reply.
	Exchange func(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error)
	// LookupIP is the host's resolver, as every program on the host sees it.
	LookupIP func(ctx context.Context, network, host string) ([]netip.Addr, error)

	NoColor bool
	JSON    bool
}

// queryTimeout bounds each name lookup: a resolver that has not answered by then is broken.
const queryTimeout = 2 * time.Second

// NewCmdDoctor binds flags into Options; runF replaces the run function in tests.
func NewCmdDoctor(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }, HomeDir: f.HomeDir,
		Exchange: exchange, LookupIP: net.DefaultResolver.LookupNetIP,
		NoColor: os.Getenv("NO_COLOR") != "",
	}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the agent, Docker, Flycast routes and name resolution, and say how to fix them",
		Long: "Check that the agent answers, that it reaches the Docker engine, that Flycast addresses are routed to this host, " +
			"that the private DNS server answers and that the host's resolver finds <app>.flycast. Exits 1 when a check fails.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDoctor(cmd.Context(), opts)
		},
	}
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// runDoctor prints every check, and fails silently (the report says why) when one failed.
func runDoctor(ctx context.Context, opts *Options) error {
	results := diagnose(ctx, opts)
	var err error
	if opts.JSON {
		err = cmdutil.PrintJSON(opts.IO.Out, toJSON(results))
	} else {
		err = printResults(opts.IO.Out, opts.IO.IsStdoutTTY() && !opts.NoColor, results)
	}
	if err != nil {
		return err
	}
	if anyFailed(results) {
		return cmdutil.ErrSilent
	}
	return nil
}

// exchange asks one DNS server over UDP within queryTimeout.
func exchange(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	c := &dns.Client{Timeout: queryTimeout}
	r, _, err := c.ExchangeContext(ctx, m, server)
	return r, err
}
