package agent

import (
	"fmt"
	"net/http"
	"net/netip"

	"github.com/hangarhq/hangar/pkg/api"
)

func (s *Server) listIPs(r *http.Request) (any, error) {
	ips, err := s.store.IPs(r.PathValue("app"))
	if err != nil {
		return nil, err
	}
	return toAPIIPs(ips), nil
}

// allocateIP only ever allocates private addresses: a Hangar app is never public.
func (s *Server) allocateIP(r *http.Request) (any, error) {
	var req api.AllocateIPRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.Type != api.IPTypePrivateV6 {
		return nil, badRequest(fmt.Sprintf("hangar allocates only private addresses (type %q), not %q: use hangar ips allocate-v6 --private", api.IPTypePrivateV6, req.Type))
	}
	ip, err := s.store.AllocatePrivateV6(r.PathValue("app"), s.now())
	if err != nil {
		return nil, err
	}
	return toAPIIP(ip), nil
}

func (s *Server) releaseIP(r *http.Request) (any, error) {
	addr, err := netip.ParseAddr(r.PathValue("addr"))
	if err != nil {
		return nil, badRequest(fmt.Sprintf("Invalid IP address: '%s'", r.PathValue("addr")))
	}
	return nil, s.store.ReleaseIP(r.PathValue("app"), addr, s.now())
}
