package agent

import (
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/handoff"
)

// agentHandoff is the process's hand-off, nil when restarts are not possible here.
type agentHandoff struct{ *handoff.Handoff }

// startHandoff takes what a predecessor handed over and says it is taken, so the
// predecessor stops serving and closes the state; without a hand-off the agent runs on
// and hangar agent restart says it cannot.
func startHandoff(log *slog.Logger) agentHandoff {
	h, err := handoff.Start()
	if err != nil {
		log.Warn("this agent cannot be restarted without a gap", "error", err)
		return agentHandoff{}
	}
	if err := h.Ready(); err != nil {
		log.Warn("telling the agent before that its sockets are taken", "error", err)
	}
	if h.Inherited() {
		log.Info("taking over from the agent before")
	}
	return agentHandoff{h}
}

// lockTimeout is how long to wait for the state: the predecessor closes it once its
// requests in flight are answered.
func (h agentHandoff) lockTimeout() time.Duration {
	if h.Handoff != nil && h.Inherited() {
		return 30 * time.Second
	}
	return 0
}

// restartAgent hands every socket to a new agent process, started from the binary now
// at this one's path (so a replaced binary takes over), and stops this one once the new
// one has taken them: requests in flight finish here, new ones queue for the new agent.
func (s *Server) restartAgent(*http.Request) (any, error) {
	if s.handoff == nil {
		return nil, &requestError{status: http.StatusServiceUnavailable, code: "no_handoff",
			msg: "this agent cannot hand over to a new process: stop and start it instead (hangar agent stop && hangar agent start)"}
	}
	sources := []handoff.Source{s}
	if s.plane != nil {
		sources = append(sources, s.plane)
	}
	if err := s.handoff.Upgrade(sources...); err != nil {
		return nil, err
	}
	s.log.Info("restart: the new agent took the sockets; draining and exiting")
	s.handingOver.Store(true)
	go s.stop()
	return api.AgentStatus{PID: os.Getpid(), Version: s.version, Home: s.home, StartedAt: s.started}, nil
}

// HandoffFiles is the API socket, for the new agent.
func (s *Server) HandoffFiles() (map[string]*os.File, error) {
	ul, ok := s.api.(*net.UnixListener)
	if !ok {
		return map[string]*os.File{}, nil
	}
	f, err := ul.File()
	if err != nil {
		return nil, err
	}
	return map[string]*os.File{handoffAPI: f}, nil
}

const handoffAPI = "api"

// apiListener is the inherited API socket, or a new one.
func (s *Server) apiListener(path string) (net.Listener, error) {
	if ln, err := s.handoff.Listener(handoffAPI); ln != nil && err == nil {
		return ln, nil
	}
	return listenSocket(path)
}

// finish drains the connections a hand-off left open, after the state is closed.
func (s *Server) finish() {
	if s.plane != nil && s.handingOver.Load() {
		s.plane.Finish()
	}
}
