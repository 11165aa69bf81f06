// Package proxy implements `hangar proxy`: a local port whose connections are tunnelled through the agent to an app's private network, waking the app.
package proxy

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// Client is what `hangar proxy` needs of the agent.
type Client interface {
	GetApp(ctx context.Context, app string) (api.App, error)
	Proxy(ctx context.Context, app, host string, port uint16) (net.Conn, error)
}

var _ Client = (*api.Client)(nil)

// ProxyOptions is `hangar proxy`.
type ProxyOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	// LocalPort is the TCP port to listen on, 0 for a free one; LocalPath, when set, is
	// a unix socket to listen on instead.
	LocalPort uint16
	LocalPath string
	BindAddr  string
	// RemoteHost and RemotePort are where the agent connects each connection to.
	RemoteHost string
	RemotePort uint16
	// Quiet leaves out the "Proxying …" line.
	Quiet bool
}

const long = `Proxy connections from a local port to an app's private network, as fly proxy does.

Each connection to the local port (on --bind-addr, 127.0.0.1 by default) goes through
the hangar agent to the remote port (the local one unless given) on remote_host. Local
port 0 picks a free port, which the "Proxying localhost:<port> to remote [<host>]:<port>"
line names. A unix socket path can stand for the local port: /tmp/pg.sock:5432.

The remote host is resolved in the app's organization, and is one of:
  <app>.flycast             the app's Flycast address through the wake proxy: a sleeping
                            app is started as by a request from the private network,
                            HTTP services get the proxy's HTTP handling and raw TCP ones
                            are spliced; the remote port is a service port of fly.toml
                            (80 for [http_service], a [[services.ports]] port)
  a Flycast address         the same, for the app that has it
  <app>.internal            a started machine of the app, on the machine's own port
                            (internal_port), as Fly's .internal names
  <id>.vm.<app>.internal    that machine of the app
  a machine's 6PN address   that machine
.internal names and 6PN addresses never wake a machine: while the app is asleep they
fail and say so.

The default remote host is <app>.flycast, so that a sleeping app is woken. flyctl
defaults to <app>.internal, which does not wake a stopped app (flyctl#3414); pass
<app>.internal to reach running machines directly.

hangar proxy needs no root: it also works when the agent runs in loopback mode.
A connection that cannot be opened gets one error line and is closed; hangar proxy
keeps listening until interrupted (Ctrl-C).`

// NewCmdProxy binds arguments and flags into ProxyOptions; runF replaces the run function in tests.
func NewCmdProxy(f *cmdutil.Factory, runF func(*ProxyOptions) error) *cobra.Command {
	opts := &ProxyOptions{IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "proxy <local[:remote]> [remote_host]",
		Short: "Proxy a local port to an app's private network, waking the app",
		Long:  long,
		Example: `  hangar proxy 5432 -a db                # localhost:5432 to db.flycast:5432
  hangar proxy 15432:5432 -a db          # localhost:15432 to db.flycast:5432
  hangar proxy 0:80 -a web               # a free local port to web.flycast:80
  hangar proxy 8080 web.internal -a web  # a running machine's own port 8080`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.RangeArgs(1, 2)(cmd, args); err != nil {
				return &cmdutil.FlagError{Err: err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.parsePorts(args[0]); err != nil {
				return err
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			opts.RemoteHost = remoteHost(args, opts.AppName)
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runProxy(ctx, opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().StringVarP(&opts.BindAddr, "bind-addr", "b", "127.0.0.1", "Local address to bind to")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "Don't print the line saying what is proxied")
	return cmd
}

// parsePorts reads <local[:remote]>; the remote port defaults to the local one.
func (o *ProxyOptions) parsePorts(arg string) error {
	local, remote, hasRemote := strings.Cut(arg, ":")
	if strings.Contains(remote, ":") {
		return cmdutil.FlagErrorf("invalid ports %q: want <local>[:<remote>], like 5432 or 15432:5432", arg)
	}
	if err := o.parseLocal(local, hasRemote); err != nil {
		return err
	}
	if !hasRemote {
		o.RemotePort = o.LocalPort
		return nil
	}
	p, err := strconv.ParseUint(remote, 10, 16)
	if err != nil || p == 0 {
		return cmdutil.FlagErrorf("invalid remote port %q: want a number from 1 to 65535", remote)
	}
	o.RemotePort = uint16(p)
	return nil
}

// parseLocal reads a port or, when it has a slash, a unix socket path.
func (o *ProxyOptions) parseLocal(local string, hasRemote bool) error {
	if strings.Contains(local, "/") {
		if !hasRemote {
			return cmdutil.FlagErrorf("a unix socket needs a remote port: %s:<port>", local)
		}
		o.LocalPath = local
		return nil
	}
	p, err := strconv.ParseUint(local, 10, 16)
	switch {
	case err != nil:
		return cmdutil.FlagErrorf("invalid local port %q: want a number from 0 to 65535 (0 picks a free one), or a unix socket path", local)
	case p == 0 && !hasRemote:
		return cmdutil.FlagErrorf("local port 0 picks a free port, so give the remote port too, like 0:80")
	}
	o.LocalPort = uint16(p)
	return nil
}

// remoteHost is the host argument without IPv6 brackets, else <app>.flycast.
func remoteHost(args []string, app string) string {
	if len(args) > 1 && args[1] != "" {
		return strings.TrimSuffix(strings.TrimPrefix(args[1], "["), "]")
	}
	return app + ".flycast"
}

// runProxy listens until ctx ends (Ctrl-C, SIGTERM), then closes the listener and the
// open connections and returns nil.
func runProxy(ctx context.Context, opts *ProxyOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if _, err := c.GetApp(ctx, opts.AppName); err != nil {
		return err // before listening: every connection would fail the same way
	}
	ln, err := opts.listen()
	if err != nil {
		return err
	}
	defer ln.Close()
	remote := fmt.Sprintf("[%s]:%d", opts.RemoteHost, opts.RemotePort)
	if !opts.Quiet {
		fmt.Fprintf(opts.IO.Out, "Proxying localhost:%s to remote %s\n", localName(ln), remote)
	}
	fw := &forwarder{remote: remote, errOut: opts.IO.ErrOut, dial: func(ctx context.Context) (net.Conn, error) {
		return c.Proxy(ctx, opts.AppName, opts.RemoteHost, opts.RemotePort)
	}}
	return fw.serve(ctx, ln)
}

func (o *ProxyOptions) listen() (net.Listener, error) {
	network, addr := "tcp", net.JoinHostPort(o.BindAddr, strconv.Itoa(int(o.LocalPort)))
	if o.LocalPath != "" {
		network, addr = "unix", o.LocalPath
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, fmt.Errorf("listening locally: %w", err)
	}
	return ln, nil
}

// localName is the port listened on (the chosen one for port 0), or the socket path.
func localName(ln net.Listener) string {
	if ta, ok := ln.Addr().(*net.TCPAddr); ok {
		return strconv.Itoa(ta.Port)
	}
	return ln.Addr().String()
}
