package proxy

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"time"
)

// closeGoingAway is a WebSocket close frame from the server side with status 1001
// ("going away", RFC 6455 7.4.1): unmasked, FIN, opcode 8, two bytes of payload.
var closeGoingAway = []byte{0x88, 0x02, 0x03, 0xe9}

// sockets are the upgraded client connections (WebSockets) of each machine, so that a
// client hears a close frame before its machine is stopped or replaced.
type sockets struct {
	mu    sync.Mutex
	conns map[string]map[*upgraded]bool // by app/machine ID
}

// upgraded is a client connection after the upgrade. Its writes are serialised, so a close
// frame never lands inside one of the proxy's writes of the machine's frames.
type upgraded struct {
	net.Conn
	wmu sync.Mutex
}

func (u *upgraded) Write(b []byte) (int, error) {
	u.wmu.Lock()
	defer u.wmu.Unlock()
	return u.Conn.Write(b)
}

func (s *sockets) add(key string, u *upgraded) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = map[string]map[*upgraded]bool{}
	}
	if s.conns[key] == nil {
		s.conns[key] = map[*upgraded]bool{}
	}
	s.conns[key][u] = true
}

func (s *sockets) remove(key string, u *upgraded) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns[key], u)
	if len(s.conns[key]) == 0 {
		delete(s.conns, key)
	}
}

func (s *sockets) take(key string) []*upgraded {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*upgraded
	for u := range s.conns[key] {
		out = append(out, u)
	}
	delete(s.conns, key)
	return out
}

// goingAwayTimeout bounds how long GoingAway waits for its close frames to be written:
// a client that stopped reading gets none, and its connection is closed regardless.
const goingAwayTimeout = time.Second

// GoingAway tells every WebSocket client of the machine that it is about to stop (a close
// frame, 1001) and closes the connections; the daemon calls it before it stops, destroys
// or replaces a machine. It returns within goingAwayTimeout, however the clients read.
// The proxy itself never stops a machine with a connection open.
func (p *Proxy) GoingAway(app, machineID string) {
	us := p.sockets.take(app + "/" + machineID)
	deadline := time.Now().Add(goingAwayTimeout)
	for _, u := range us {
		// Also ends, at the deadline, a write of the machine's bytes stuck on a full
		// buffer, and with it the hold on the write lock that goAway waits for.
		_ = u.Conn.SetWriteDeadline(deadline)
	}
	for _, u := range us {
		u.goAway()
	}
}

// goAway writes the close frame, between two of the proxy's writes of the machine's
// frames, and closes the connection whether the frame went out or not.
func (u *upgraded) goAway() {
	u.wmu.Lock()
	_, _ = u.Conn.Write(closeGoingAway)
	u.wmu.Unlock()
	_ = u.Conn.Close()
}

// hijackRecorder is the ResponseWriter of an upgrade request: when ReverseProxy takes the
// client connection over, it is recorded under the machine the request was sent to.
type hijackRecorder struct {
	http.ResponseWriter
	p   *Proxy
	f   *forward
	key string
	u   *upgraded
}

func (h *hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	h.key, h.u = h.f.svc.App+"/"+h.f.lease.m.id, &upgraded{Conn: c}
	h.p.sockets.add(h.key, h.u)
	return h.u, rw, nil
}

// done forgets the connection once the upgraded session ended.
func (h *hijackRecorder) done() {
	if h.u != nil {
		h.p.sockets.remove(h.key, h.u)
	}
}
