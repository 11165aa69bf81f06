package ipalloc

import (
	"net/netip"
	"time"
)

// model is the allocator's specification as plain maps: a cursor that
// walks the range and wraps, skipping reserved, live and recently
// released addresses.
type model struct {
	prefix      netip.Prefix
	first, last netip.Addr
	grace       time.Duration
	reserved    map[netip.Addr]bool
	cursor      netip.Addr
	live        map[netip.Addr]string
	liveList    []netip.Addr // live in arbitrary order, to pick from at random
	liveIndex   map[netip.Addr]int
	released    map[netip.Addr]time.Time // only those still in grace
	queue       []releaseEvent           // releases in time order
	free        uint64                   // neither reserved, live nor in grace
}

type releaseEvent struct {
	addr netip.Addr
	at   time.Time
}

func newModel(prefix netip.Prefix, grace time.Duration, reserved []netip.Addr) *model {
	m := &model{
		prefix: prefix, first: prefix.Addr(), last: lastAddr(prefix), grace: grace,
		reserved: map[netip.Addr]bool{}, cursor: prefix.Addr(),
		live: map[netip.Addr]string{}, liveIndex: map[netip.Addr]int{},
		released: map[netip.Addr]time.Time{},
	}
	for _, a := range reserved {
		m.reserved[a] = true
	}
	m.free = offsetIn(prefix, m.last) + 1 - uint64(len(m.reserved))
	return m
}

// expire returns addresses whose grace is over to circulation.
func (m *model) expire(now time.Time) {
	for len(m.queue) > 0 && now.Sub(m.queue[0].at) >= m.grace {
		r := m.queue[0]
		m.queue = m.queue[1:]
		if t, ok := m.released[r.addr]; ok && t.Equal(r.at) {
			delete(m.released, r.addr)
			m.free++
		}
	}
}

func (m *model) blocked(a netip.Addr) bool {
	_, live := m.live[a]
	_, recent := m.released[a]
	return live || recent || m.reserved[a]
}

// next is what Allocate must return, or false when nothing is free.
func (m *model) next() (netip.Addr, bool) {
	if m.free == 0 {
		return netip.Addr{}, false
	}
	a := m.cursor
	for m.blocked(a) {
		a = m.after(a)
	}
	return a, true
}

func (m *model) after(a netip.Addr) netip.Addr {
	if a == m.last {
		return m.first
	}
	return a.Next()
}

func (m *model) take(a netip.Addr, owner string) {
	m.live[a] = owner
	m.liveIndex[a] = len(m.liveList)
	m.liveList = append(m.liveList, a)
	m.free--
}

func (m *model) drop(a netip.Addr, now time.Time) {
	i, last := m.liveIndex[a], m.liveList[len(m.liveList)-1]
	m.liveList[i], m.liveIndex[last] = last, i
	m.liveList = m.liveList[:len(m.liveList)-1]
	delete(m.liveIndex, a)
	delete(m.live, a)
	if m.grace <= 0 {
		m.free++
		return
	}
	m.released[a] = now
	m.queue = append(m.queue, releaseEvent{a, now})
}

// wantAddr is the error AllocateAddr must give for a, nil when it is free.
func (m *model) wantAddr(a netip.Addr) error {
	_, live := m.live[a]
	_, recent := m.released[a]
	switch {
	case !m.prefix.Contains(a):
		return ErrOutOfRange
	case m.reserved[a]:
		return ErrReserved
	case live:
		return ErrInUse
	case recent:
		return ErrInGrace
	}
	return nil
}
