package agent

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// proxyApp is one connection of `hangar proxy`: it opens a stream to ?host= and ?port=
// in the app's private network, upgrades the request (101, then raw bytes, as attach
// does) and splices the two until both sides have finished sending.
func (s *Server) proxyApp(w http.ResponseWriter, r *http.Request) {
	up, err := s.proxyTarget(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer up.Close()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
	if buf.Flush() != nil {
		return
	}
	splice(s.life, conn, buf.Reader, up)
}

// proxyTarget checks the request and connects through the Flycast plane.
func (s *Server) proxyTarget(r *http.Request) (net.Conn, error) {
	host := r.URL.Query().Get("host")
	port, err := strconv.ParseUint(r.URL.Query().Get("port"), 10, 16)
	switch {
	case host == "":
		return nil, badRequest("the remote host (?host=) is missing")
	case err != nil || port == 0:
		return nil, badRequest(fmt.Sprintf("the remote port must be a number from 1 to 65535, got %q", r.URL.Query().Get("port")))
	}
	app := r.PathValue("app")
	if _, err := s.store.App(app); err != nil {
		return nil, err
	}
	if _, err := s.machines(); err != nil {
		return nil, err
	}
	if s.plane == nil {
		return nil, errNoFlycast
	}
	// The plane follows the state on a short tick; a machine the wake proxy started a
	// moment ago must already answer its .internal name.
	s.plane.Sync()
	return s.plane.Connect(r.Context(), app, host, uint16(port))
}

// splice copies both ways until both directions ended. The end of one side's data is
// passed on as a half-close and the other direction keeps flowing (a client may send
// its whole input, then read the answer); an error on either side closes both, and so
// does the agent stopping. in is what reads the client: the hijack's buffer, then conn.
func splice(ctx context.Context, client net.Conn, in io.Reader, up net.Conn) {
	stop := context.AfterFunc(ctx, func() {
		client.Close()
		up.Close()
	})
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pass(up, in, client)
	}()
	pass(client, up, up)
	<-done
}

// pass copies src (read from srcConn) to dst, then half-closes dst.
func pass(dst net.Conn, src io.Reader, srcConn net.Conn) {
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		srcConn.Close()
		return
	}
	closeWrite(dst)
}
