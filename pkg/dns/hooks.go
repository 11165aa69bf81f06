package dns

import (
	"net/netip"
	"sync"
)

// maxLookupHooks bounds the OnFlycastLookup calls running at once, over every app: a
// flood of lookups of many names starts at most this many pre-wakes together.
const maxLookupHooks = 16

// lookupHooks runs the lookup hook in the background, at most one call per app and
// maxLookupHooks in all. A lookup that finds its app's call running, or every slot
// taken, calls nothing: the hook only starts a wake early, the call in flight starts the
// same one, and the client's connection starts it anyway.
type lookupHooks struct {
	wg sync.WaitGroup // running calls

	// mu guards running.
	mu      sync.Mutex
	running map[string]bool // apps whose call runs now
}

// start runs hook for app unless a call for it runs or the bound is reached.
func (l *lookupHooks) start(hook func(org, app string, caller netip.Addr), org, app string, caller netip.Addr) {
	if !l.claim(app) {
		return
	}
	l.wg.Go(func() {
		defer l.release(app)
		hook(org, app, caller)
	})
}

func (l *lookupHooks) claim(app string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running[app] || len(l.running) >= maxLookupHooks {
		return false
	}
	if l.running == nil {
		l.running = map[string]bool{}
	}
	l.running[app] = true
	return true
}

func (l *lookupHooks) release(app string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.running, app)
}
