package agent

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/hangarhq/hangar/pkg/state"
)

// streamLogs writes every selected machine's log lines as flyctl shows them:
// "app[<machine id>] <region> [info] <line>", interleaved as they arrive.
func (s *Server) streamLogs(w http.ResponseWriter, r *http.Request) {
	ms, err := s.logMachines(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	follow, _ := strconv.ParseBool(r.URL.Query().Get("follow"))
	tail, _ := strconv.Atoi(r.URL.Query().Get("tail"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	out := &lineWriter{w: w}
	var wg sync.WaitGroup
	for _, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.copyLogs(r.Context(), m, follow, tail, out)
		}()
	}
	wg.Wait()
}

func (s *Server) logMachines(r *http.Request) ([]state.Machine, error) {
	if _, err := s.machines(); err != nil {
		return nil, err
	}
	if id := r.URL.Query().Get("machine"); id != "" {
		m, err := s.store.Machine(r.PathValue("app"), id)
		return []state.Machine{m}, err
	}
	if _, err := s.store.App(r.PathValue("app")); err != nil {
		return nil, err
	}
	return s.store.Machines(r.PathValue("app"))
}

func (s *Server) copyLogs(ctx context.Context, m state.Machine, follow bool, tail int, out *lineWriter) {
	rc, err := s.mgr.Logs(ctx, m.App, m.ID, follow, tail)
	if err != nil {
		out.line(fmt.Sprintf("app[%s] %s [error] reading logs: %v", m.ID, m.Region, err))
		return
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		out.line(fmt.Sprintf("app[%s] %s [info] %s", m.ID, m.Region, sc.Text()))
	}
}

// lineWriter writes whole lines from several goroutines and flushes each.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lineWriter) line(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(l.w, s)
	if f, ok := l.w.(http.Flusher); ok {
		f.Flush()
	}
}
