package agent

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/hangarhq/hangar/pkg/state"
)

// attachMachine upgrades the request to a raw stream joined to the machine's terminal,
// starts the machine once attached (so nothing it prints is missed), and destroys an
// auto-destroy machine (a shell) when the session ends.
func (s *Server) attachMachine(w http.ResponseWriter, r *http.Request) {
	m, err := s.store.Machine(r.PathValue("app"), r.PathValue("id"))
	if err == nil {
		_, err = s.machines()
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	stream, err := s.engine.Attach(s.life, m.ContainerID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer stream.Close()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
	buf.Flush()
	s.startAttached(m)
	relay(conn, stream)
	s.endSession(m)
}

func (s *Server) startAttached(m state.Machine) {
	if m.State == state.MachineStarted {
		return
	}
	if _, err := s.mgr.Start(s.life, m.App, m.ID); err != nil {
		s.log.Warn("starting an attached machine", "machine", m.ID, "error", err)
	}
}

func (s *Server) endSession(m state.Machine) {
	if !m.Config.AutoDestroy {
		return
	}
	if err := s.mgr.Destroy(context.WithoutCancel(s.life), m.App, m.ID, true); err != nil {
		s.log.Warn("destroying a finished shell machine", "machine", m.ID, "error", err)
	}
}

// relay joins the client and the machine. When the client stops sending, the machine's
// stdin is closed and its remaining output still reaches the client; the session ends
// when the machine's output ends.
func relay(client io.ReadWriteCloser, machine io.ReadWriteCloser) {
	go func() {
		io.Copy(machine, client)
		closeWrite(machine)
	}()
	io.Copy(client, machine)
}

func closeWrite(c io.Closer) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
		return
	}
	c.Close()
}

func (s *Server) resizeMachine(r *http.Request) (any, error) {
	m, err := s.store.Machine(r.PathValue("app"), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if _, err := s.machines(); err != nil {
		return nil, err
	}
	rows, _ := strconv.Atoi(r.URL.Query().Get("rows"))
	cols, _ := strconv.Atoi(r.URL.Query().Get("cols"))
	return nil, s.engine.ResizeTTY(r.Context(), m.ContainerID, uint(rows), uint(cols))
}
