package agent

import (
	"net/http"
	"strconv"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// execMachine runs a command in the machine's app container (starting a sleeping
// machine first) and upgrades the request to a raw stream joined to it, as attach does.
// The exec's ID goes back in a header, for its resize and exit code.
func (s *Server) execMachine(w http.ResponseWriter, r *http.Request) {
	var req api.ExecRequest
	err := decodeBody(r, &req)
	var m state.Machine
	if err == nil {
		m, err = s.awakeMachine(r)
	}
	var sess runtime.ExecSession
	if err == nil {
		sess, err = s.engine.Exec(s.life, m.ContainerID, runtime.ExecSpec{Cmd: req.Cmd, Env: req.Env, Tty: req.Tty})
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer sess.Stream.Close()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n" + api.ExecIDHeader + ": " + sess.ID + "\r\n\r\n")
	buf.Flush()
	relay(conn, sess.Stream)
}

// awakeMachine is the request's machine, started when it sleeps.
func (s *Server) awakeMachine(r *http.Request) (state.Machine, error) {
	mgr, err := s.machines()
	if err != nil {
		return state.Machine{}, err
	}
	m, err := s.store.Machine(r.PathValue("app"), r.PathValue("id"))
	if err != nil || m.State == state.MachineStarted {
		return m, err
	}
	return mgr.Start(r.Context(), m.App, m.ID)
}

func (s *Server) execStatus(r *http.Request) (any, error) {
	if _, err := s.machines(); err != nil {
		return nil, err
	}
	code, err := s.engine.ExecExitCode(r.Context(), r.PathValue("exec"))
	return api.ExecStatus{ExitCode: code}, err
}

func (s *Server) resizeExec(r *http.Request) (any, error) {
	if _, err := s.machines(); err != nil {
		return nil, err
	}
	rows, _ := strconv.Atoi(r.URL.Query().Get("rows"))
	cols, _ := strconv.Atoi(r.URL.Query().Get("cols"))
	return nil, s.engine.ResizeExec(r.Context(), r.PathValue("exec"), uint(rows), uint(cols))
}
