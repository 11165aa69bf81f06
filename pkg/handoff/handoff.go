// Package handoff passes the agent's sockets to its successor on `hangar agent restart`, so that no connection, request or DNS query is lost while one process replaces the other.
//
// It wraps cloudflare/tableflip, which starts the new process with the files, waits
// until it is ready, and lets the old one drain and exit. The new process takes every
// socket it inherited at once, by name, before it says it is ready (tableflip closes the
// ones not taken), and each part of the agent then uses its inherited socket instead of
// binding a new one; connections that arrive meanwhile wait in the kernel's queues.
package handoff

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cloudflare/tableflip"
)

// Handoff is one agent process's end of the hand-off: what it inherited, and the way
// to hand over to a successor.
type Handoff struct {
	upg *tableflip.Upgrader

	// mu guards inherited, the files from the predecessor not yet taken.
	mu        sync.Mutex
	inherited map[string]*os.File
}

// Start sets up the hand-off for this process: a successor of an agent takes over its
// sockets. Call Ready once they are taken (after Start, before serving).
func Start() (*Handoff, error) {
	upg, err := tableflip.New(tableflip.Options{UpgradeTimeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("preparing for restarts: %w", err)
	}
	h := &Handoff{upg: upg, inherited: map[string]*os.File{}}
	files, err := upg.Files()
	if err != nil {
		upg.Stop()
		return nil, fmt.Errorf("taking the sockets of the agent before: %w", err)
	}
	for _, f := range files {
		h.inherited[nameOf(f)] = f
	}
	return h, nil
}

// nameOf is the name AddFile gave a file: tableflip names it "fd:<name>:".
func nameOf(f *os.File) string {
	return strings.TrimSuffix(strings.TrimPrefix(f.Name(), "fd:"), ":")
}

// Inherited reports whether this process took over from an earlier agent.
func (h *Handoff) Inherited() bool { return h != nil && h.upg.HasParent() }

// Ready tells the predecessor that its sockets are taken, so it stops serving and drains.
func (h *Handoff) Ready() error { return h.upg.Ready() }

// Take returns the inherited file of that name, once; nil when there is none.
func (h *Handoff) Take(name string) *os.File {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.inherited[name]
	delete(h.inherited, name)
	return f
}

// Listener returns the inherited listener of that name, or nil.
func (h *Handoff) Listener(name string) (net.Listener, error) {
	f := h.Take(name)
	if f == nil {
		return nil, nil
	}
	defer f.Close() // FileListener dups it
	return net.FileListener(f)
}

// PacketConn returns the inherited packet socket of that name, or nil.
func (h *Handoff) PacketConn(name string) (net.PacketConn, error) {
	f := h.Take(name)
	if f == nil {
		return nil, nil
	}
	defer f.Close()
	return net.FilePacketConn(f)
}

// CloseRest closes what was inherited and not taken: sockets of things gone meanwhile.
func (h *Handoff) CloseRest() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for name, f := range h.inherited {
		f.Close()
		delete(h.inherited, name)
	}
}

// Source is what can hand its sockets to a successor: it lists them by name.
type Source interface {
	HandoffFiles() (map[string]*os.File, error)
}

// Upgrade starts a successor with the files of every source and returns once it is
// ready; the caller then drains and exits. On error nothing changed hands.
func (h *Handoff) Upgrade(sources ...Source) error {
	if h.upg.HasParent() {
		// tableflip hands over once the agent before this one is gone: it may still be
		// draining its connections.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := h.upg.WaitForParent(ctx)
		cancel()
		if err != nil {
			return fmt.Errorf("waiting for the agent before this one to finish draining: %w", err)
		}
	}
	for _, s := range sources {
		files, err := s.HandoffFiles()
		if err != nil {
			return fmt.Errorf("collecting sockets to hand over: %w", err)
		}
		for name, f := range files {
			err := h.upg.AddFile(name, f)
			f.Close() // AddFile keeps a dup
			if err != nil {
				return fmt.Errorf("handing over %s: %w", name, err)
			}
		}
	}
	if err := h.upg.Upgrade(); err != nil {
		return fmt.Errorf("starting the new agent: %w", err)
	}
	return nil
}

// Stop ends the hand-off for good: this process is shutting down without a successor.
func (h *Handoff) Stop() {
	if h != nil {
		h.upg.Stop()
	}
}

// ErrNoHandoff: the agent runs without a hand-off (tests, an unsupported platform).
var ErrNoHandoff = errors.New("this agent cannot hand over to a new process")
