package api

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
)

// Proxy opens one stream to host:port in the app's private network, for `hangar proxy`:
// the agent connects (host <app>.flycast wakes a sleeping app; see flycast.Plane.Connect
// for every form), upgrades the request as attach does, and then relays raw bytes both
// ways. The connection's CloseWrite sends a half-close. ctx bounds the opening only.
func (c *Client) Proxy(ctx context.Context, app, host string, port uint16) (net.Conn, error) {
	q := url.Values{"host": {host}, "port": {strconv.Itoa(int(port))}}
	return c.openStream(ctx, appPath(app, "proxy")+"?"+q.Encode())
}

// openStream POSTs path with an upgrade to a raw stream and returns the stream once
// the agent answered 101, or the agent's error. Cancelling ctx aborts the handshake.
func (c *Client) openStream(ctx context.Context, path string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", c.socket)
	if err != nil {
		return nil, fmt.Errorf("reaching the hangar agent at %s: %w", c.socket, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	br, err := handshake(conn, path)
	if !stop() {
		conn.Close()
		return nil, ctx.Err()
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &bufferedConn{Conn: conn, r: br}, nil
}

func handshake(conn net.Conn, path string) (*bufio.Reader, error) {
	req, _ := http.NewRequest(http.MethodPost, "http://hangar"+path, nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "tcp")
	if err := req.Write(conn); err != nil {
		return nil, fmt.Errorf("reaching the hangar agent: %w", err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, fmt.Errorf("reading the hangar agent's answer: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		defer resp.Body.Close()
		if err := decode(resp, nil); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("the hangar agent answered %s instead of switching protocols", resp.Status)
	}
	return br, nil
}
