// Package agent is the Hangar daemon: it owns the state database and serves the JSON API on a 0600 unix socket.
package agent

import (
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/hangarhq/hangar/pkg/state"
)

// Server answers the API from the state it owns.
type Server struct {
	store   *state.Store
	log     *slog.Logger
	version string
	home    string
	started time.Time
	now     func() time.Time
	// stop ends Serve; set by Serve, called by the stop route.
	stop func()
}

// Config is what a Server needs.
type Config struct {
	Store   *state.Store
	Log     *slog.Logger
	Version string
	Home    string
	Now     func() time.Time // nil: time.Now
}

// NewServer builds a Server; Serve runs it.
func NewServer(c Config) *Server {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return &Server{store: c.Store, log: c.Log, version: c.Version, home: c.Home, started: c.Now(), now: c.Now, stop: func() {}}
}

// Handler is the API as an http.Handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.Handle(r.pattern, s.handle(r.fn))
	}
	return mux
}
