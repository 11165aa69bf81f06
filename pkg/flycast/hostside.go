package flycast

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"time"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/handoff"
	"github.com/hangarhq/hangar/pkg/hostnet"
	"github.com/hangarhq/hangar/pkg/hostpeers"
)

// hostSide is what the plane shares with the host and with other agents on it:
//   - fdaa::3 on lo, which every agent's machines send their queries to; it is added by
//     whichever agent comes first and taken back by the last one to stop;
//   - one DNS socket on fdaa::3 per organization bridge, bound to that bridge, so each
//     machine asks the agent that owns it, however many installations run here;
//   - the installation's own link (a TUN device that lives exactly as long as the agent)
//     carrying each organization's resolver address fdaa:N:N::3, where the host's own
//     lookups (hangar doctor, systemd-resolved) reach this installation;
//   - fdaa::3 bound to lo for the host's `dig @fdaa::3`: the first agent to bind it.
type hostSide struct {
	log    *slog.Logger
	peers  string // the registry directory
	reg    *hostpeers.Registration
	link   *hostnet.Link
	dns    *dns.Server
	served map[dns.Bind]int // bind → interface index it was made for
	// loRetry is when to try fdaa::3 on lo again, held by another agent until it stops.
	loRetry time.Time
}

// linkName is the installation's device: "hangar" and its ID, within IFNAMSIZ.
func linkName(installation string) string {
	name := "hangar" + installation
	return name[:min(len(name), 15)]
}

// openHostSide registers this agent, makes sure fdaa::3 is on lo and opens the link;
// after a restart it takes over the registration, link and DNS sockets handed over.
func openHostSide(installation string, srv *dns.Server, inherited *handoff.Handoff, log *slog.Logger) (*hostSide, error) {
	h := &hostSide{log: log, peers: hostpeers.Dir(), dns: srv, served: map[dns.Bind]int{}}
	if inherited != nil {
		srv.InheritFrom(inherited)
	}
	reg, err := h.register(installation, inherited)
	if err != nil {
		return nil, err
	}
	h.reg = reg
	err = hostpeers.Exclusive(h.peers, func() error {
		_, err := hostnet.AddLoopbackAddr(DNSAddr.Addr())
		return err
	})
	if err == nil {
		h.link, err = openLink(linkName(installation), inherited)
	}
	if err != nil {
		reg.Close()
		return nil, err
	}
	return h, nil
}

func (h *hostSide) register(installation string, inherited *handoff.Handoff) (*hostpeers.Registration, error) {
	if f := inherited.Take(handoffRegistration); f != nil {
		return hostpeers.Adopt(h.peers, installation, f), nil
	}
	return hostpeers.Register(h.peers, installation)
}

func openLink(name string, inherited *handoff.Handoff) (*hostnet.Link, error) {
	if f := inherited.Take(handoffLink); f != nil {
		return hostnet.AdoptLink(name, f)
	}
	return hostnet.OpenLink(name)
}

// Names of what the host side hands to a successor agent, besides its DNS sockets.
const (
	handoffRegistration = "hostpeers"
	handoffLink         = "link"
)

// handoffFiles are the registration, the link and the DNS sockets.
func (h *hostSide) handoffFiles() (map[string]*os.File, error) {
	files, err := h.dns.HandoffFiles()
	if err != nil {
		return nil, err
	}
	if files[handoffRegistration], err = h.reg.File(); err != nil {
		return nil, err
	}
	files[handoffLink], err = h.link.File()
	return files, err
}

// release stops answering and lets go of the registration and link without taking
// anything off the host: the successor serves them now.
func (h *hostSide) release() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(h.dns.Shutdown(ctx), h.link.Close(), h.reg.Release())
}

// sync serves DNS on every organization's bridge and resolver address, and drops what
// belongs to bridges that went away or were made again (a new index).
func (h *hostSide) sync(orgs []orgEntry) {
	links, err := hostnet.LinksByAddr()
	if err != nil {
		h.log.Warn("reading the host's links for DNS", "error", err)
		return
	}
	want := map[dns.Bind]int{}
	for _, o := range orgs {
		own := ipalloc.OrgDNSAddr(o.prefix)
		if links[own].Index == h.link.Index() {
			want[dns.Bind{Addr: netip.AddrPortFrom(own, 53)}] = h.link.Index() // there already: no write
		} else if err := h.link.AddAddr(own); err != nil {
			h.log.Warn("adding the organization's resolver address", "org", o.slug, "addr", own, "error", err)
		} else {
			want[dns.Bind{Addr: netip.AddrPortFrom(own, 53)}] = h.link.Index()
		}
		if br, ok := links[ipalloc.MachineGateway(o.prefix)]; ok {
			want[dns.Bind{Addr: DNSAddr, Device: br.Name}] = br.Index
		}
	}
	h.apply(want)
	h.tryLoopback()
}

func (h *hostSide) apply(want map[dns.Bind]int) {
	for b, index := range h.served {
		if want[b] != index {
			h.dns.Remove(b)
			delete(h.served, b)
		}
	}
	for b, index := range want {
		if _, ok := h.served[b]; ok {
			continue
		}
		if err := h.dns.Add(b); err != nil {
			h.log.Warn("serving private DNS", "on", b, "error", err)
			continue
		}
		h.served[b] = index
		h.log.Info("private DNS listening", "on", b)
	}
}

// tryLoopback binds fdaa::3 on lo when no other agent holds it, retrying now and then.
func (h *hostSide) tryLoopback() {
	b := dns.Bind{Addr: DNSAddr, Device: "lo"}
	if _, ok := h.served[b]; ok || time.Now().Before(h.loRetry) {
		return
	}
	if err := h.dns.Add(b); err != nil {
		h.loRetry = time.Now().Add(5 * time.Second)
		h.log.Debug("fdaa::3 on lo is another agent's for now", "error", err)
		return
	}
	h.served[b] = 1
}

// close stops the DNS sockets, removes the link, and takes fdaa::3 off lo when no other
// agent runs.
func (h *hostSide) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errs := []error{h.dns.Shutdown(ctx), h.link.Close()}
	errs = append(errs, hostpeers.Exclusive(h.peers, func() error {
		if len(h.reg.Others()) > 0 {
			return nil
		}
		return hostnet.RemoveLoopbackAddr(DNSAddr.Addr())
	}))
	return errors.Join(append(errs, h.reg.Close())...)
}

// source is the address the host's own connections to a Flycast range come from: its
// organization's resolver address on the link, once it is there.
func (h *hostSide) source(flycast netip.Prefix) netip.Addr {
	a := ipalloc.OrgDNSAddr(ipalloc.OrgOf(flycast.Addr()))
	if _, ok := h.served[dns.Bind{Addr: netip.AddrPortFrom(a, 53)}]; !ok {
		return netip.Addr{} // not on the link (yet): let the kernel choose
	}
	return a
}
