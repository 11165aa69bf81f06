package api

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
)

// Attach connects to a machine's terminal: the agent upgrades the request and then
// relays raw bytes both ways, as Docker's attach does.
func (c *Client) Attach(ctx context.Context, app, id string) (net.Conn, error) {
	conn, _, err := c.upgrade(ctx, appPath(app, "machines", id, "attach"), nil, "attaching to machine "+id)
	return conn, err
}

// upgrade sends a request the agent answers by switching to a raw stream, and returns
// the stream with the answer's headers.
func (c *Client) upgrade(ctx context.Context, path string, body []byte, doing string) (net.Conn, http.Header, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", c.socket)
	if err != nil {
		return nil, nil, fmt.Errorf("reaching the hangar agent at %s: %w", c.socket, err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://hangar"+path, bytes.NewReader(body))
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "tcp")
	if err := req.Write(conn); err != nil {
		conn.Close()
		return nil, nil, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("%s: %w", doing, err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		defer conn.Close()
		if err := decode(resp, nil); err != nil {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("%s: the agent answered %s instead of switching protocols", doing, resp.Status)
	}
	return &bufferedConn{Conn: conn, r: br}, resp.Header, nil
}

// bufferedConn reads what the response reader already buffered before the socket.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b *bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

// CloseWrite ends what is sent to the machine (its stdin) and keeps reading its output.
func (b *bufferedConn) CloseWrite() error {
	if cw, ok := b.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return b.Conn.Close()
}

// ResizeMachineTTY sets the machine terminal's size.
func (c *Client) ResizeMachineTTY(ctx context.Context, app, id string, rows, cols int) error {
	return c.do(ctx, http.MethodPost, appPath(app, "machines", id, "resize")+fmt.Sprintf("?rows=%d&cols=%d", rows, cols), nil, nil)
}
