package deploy

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// renderer shows deploy events: lines for steps and machines, per-layer pull progress
// (bars redrawn in place at a terminal, a line per status change otherwise), and a
// spinner on the last line while nothing new arrives.
type renderer struct {
	io  *iostreams.IOStreams
	tty bool // ErrOut is a terminal

	// mu guards everything below; the spinner goroutine draws too.
	mu       sync.Mutex
	layers   []*layer
	drawn    int // layer lines on screen, to move back over
	waiting  string
	spinning bool
	stop     chan struct{}
	done     sync.WaitGroup
}

type layer struct {
	id, status     string
	current, total int64
}

func newRenderer(io *iostreams.IOStreams) *renderer {
	r := &renderer{io: io, tty: io.IsStderrTTY(), stop: make(chan struct{})} // it draws on ErrOut
	if r.tty {
		r.done.Add(1)
		go r.spin()
	}
	return r
}

func (r *renderer) event(ev api.DeployEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clearSpinner()
	if ev.Kind == api.EventPull {
		r.pull(ev)
		return
	}
	r.layers, r.drawn = nil, 0
	switch ev.Kind {
	case api.EventStep:
		fmt.Fprintf(r.io.ErrOut, "==> %s\n", ev.Text)
	case api.EventWarn:
		fmt.Fprintf(r.io.ErrOut, "WARNING %s\n", ev.Text)
	default:
		fmt.Fprintln(r.io.ErrOut, ev.Text)
	}
	r.waiting = ev.Text
}

// pull records one layer's progress and shows it.
func (r *renderer) pull(ev api.DeployEvent) {
	l := r.layer(ev.Layer)
	changed := l.status != ev.Text
	l.status, l.current, l.total = ev.Text, ev.Current, ev.Total
	if r.tty {
		r.redrawLayers()
	} else if changed {
		fmt.Fprintf(r.io.ErrOut, "%s: %s\n", layerName(l.id), l.status)
	}
}

func (r *renderer) layer(id string) *layer {
	for _, l := range r.layers {
		if l.id == id {
			return l
		}
	}
	l := &layer{id: id}
	r.layers = append(r.layers, l)
	return l
}

func (r *renderer) redrawLayers() {
	if r.drawn > 0 {
		fmt.Fprintf(r.io.ErrOut, "\x1b[%dA", r.drawn)
	}
	for _, l := range r.layers {
		fmt.Fprintf(r.io.ErrOut, "\r\x1b[K%s: %s %s\n", layerName(l.id), l.status, bar(l.current, l.total))
	}
	r.drawn = len(r.layers)
}

func layerName(id string) string {
	if id == "" {
		return "image"
	}
	return id
}

// bar draws "[=====>     ] 12.3MB/45.6MB" when the size is known.
func bar(current, total int64) string {
	if total <= 0 {
		return ""
	}
	const width = 30
	n := int(float64(width) * float64(min(current, total)) / float64(total))
	return fmt.Sprintf("[%s>%s] %s/%s", strings.Repeat("=", n), strings.Repeat(" ", width-n), size(current), size(total))
}

func size(b int64) string {
	return fmt.Sprintf("%.1fMB", float64(b)/1e6)
}

// spin draws a spinner after the last line while the deploy is quiet for a moment.
func (r *renderer) spin() {
	defer r.done.Done()
	frames := []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
	tick := time.NewTicker(120 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-r.stop:
			return
		case <-tick.C:
			r.mu.Lock()
			if r.closed() {
				r.mu.Unlock()
				return
			}
			if r.waiting != "" && len(r.layers) == 0 {
				fmt.Fprintf(r.io.ErrOut, "\r\x1b[K%c working…", frames[i%len(frames)])
				r.spinning = true
			}
			r.mu.Unlock()
		}
	}
}

func (r *renderer) clearSpinner() {
	if r.spinning {
		fmt.Fprint(r.io.ErrOut, "\r\x1b[K")
		r.spinning = false
	}
}

func (r *renderer) closed() bool {
	select {
	case <-r.stop:
		return true
	default:
		return false
	}
}

// close stops the spinner and clears its line; it may be called twice.
func (r *renderer) close() {
	r.mu.Lock()
	if r.closed() {
		r.mu.Unlock()
		return
	}
	close(r.stop)
	r.clearSpinner()
	r.mu.Unlock()
	r.done.Wait()
}

// Progress shows a rollout's events as deploy does (hangar secrets uses it); done stops the spinner.
func Progress(io *iostreams.IOStreams) (show func(api.DeployEvent), done func()) {
	r := newRenderer(io)
	return r.event, r.close
}
