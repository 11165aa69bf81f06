package runtime

import "net/netip"

// NetworkSpec asks for a bridge network with IPv6 enabled on a fixed subnet.
type NetworkSpec struct {
	Name    string
	Subnet  netip.Prefix // an IPv6 prefix, normally an fdaa /64
	Gateway netip.Addr   // the bridge's address; the subnet's ::1 when zero
	Labels  map[string]string
}

// Network is an existing network as the engine reports it.
type Network struct {
	ID   string
	Name string
	// Interface is the host's bridge device for the network ("br-…" on Docker), when known.
	Interface string
	Subnet    netip.Prefix // the IPv6 subnet
	Gateway   netip.Addr   // the IPv6 gateway
	Labels    map[string]string
}

// DefaultGateway returns the gateway used for spec: its own or the subnet's ::1.
func (spec NetworkSpec) DefaultGateway() netip.Addr {
	if spec.Gateway.IsValid() {
		return spec.Gateway
	}
	return spec.Subnet.Masked().Addr().Next()
}
