package proxy

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// connRoute is how one HTTP connection is routed: to the service at its
// local address, or per request by Host header (loopback listeners).
type connRoute struct {
	svc     Service
	byAddr  bool
	refused error // the caller is outside the service's organization
}

// routedConn carries its route from the listener to the HTTP server's
// ConnContext.
type routedConn struct {
	net.Conn
	route connRoute
}

type routeKey struct{}

// route decides what happens to a new connection. The service at the local
// address wins; HTTP connections are returned for the HTTP server and TCP
// ones spliced in their own goroutine. With no service there, a loopback
// connection is routed by Host header and any other is closed: without a
// service nothing says whether its client speaks HTTP.
func (p *Proxy) route(c net.Conn, loopback bool) net.Conn {
	local := addrPortOf(c.LocalAddr())
	svc, ok := p.catalog.ByAddr(local)
	var refused error
	if ok {
		refused = admit(svc, addrPortOf(c.RemoteAddr()).Addr())
	}
	switch {
	case ok && svc.HTTP: // a refused caller gets its 403 from the HTTP handler
		return &routedConn{Conn: c, route: connRoute{svc: svc, byAddr: true, refused: refused}}
	case ok && refused != nil:
		p.log.Info("closing connection", "app", svc.App, "port", svc.Port, "client", c.RemoteAddr(), "err", refused)
		_ = c.Close()
		return nil
	case ok:
		p.serveTCPAsync(c, svc)
		return nil
	case loopback:
		return &routedConn{Conn: c}
	}
	p.log.Info("closing connection: no service at this address", "addr", local, "client", c.RemoteAddr())
	_ = c.Close()
	return nil
}

func connContext(ctx context.Context, c net.Conn) context.Context {
	if rc, ok := c.(*routedConn); ok {
		return context.WithValue(ctx, routeKey{}, &rc.route)
	}
	return ctx
}

// serviceFor returns the service a request is for, or an ErrNoRoute error.
func (p *Proxy) serviceFor(r *http.Request) (Service, error) {
	if rt, _ := r.Context().Value(routeKey{}).(*connRoute); rt != nil && rt.byAddr {
		return rt.svc, rt.refused
	}
	host, port := splitHost(r.Host)
	if svc, ok := p.catalog.ByHost(host, port); ok {
		ap, _ := netip.ParseAddrPort(r.RemoteAddr)
		return svc, admit(svc, ap.Addr())
	}
	return Service{}, fmt.Errorf("%w for host %q on port %d", ErrNoRoute, host, port)
}

// splitHost reads "app.flycast:8080" as ("app.flycast", 8080); the port is
// 80 when absent, as a plain-HTTP client means.
func splitHost(hostport string) (string, uint16) {
	host, port := hostport, uint16(80)
	if h, ps, err := net.SplitHostPort(hostport); err == nil {
		host = h
		if n, err := strconv.ParseUint(ps, 10, 16); err == nil {
			port = uint16(n)
		}
	}
	return strings.TrimSuffix(strings.ToLower(host), "."), port
}

// clientAddr is the peer of a request, "" when RemoteAddr does not parse.
func clientAddr(remote string) string {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return ""
	}
	return ap.Addr().Unmap().String()
}
