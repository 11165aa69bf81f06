package hostnet

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/google/nftables/userdata"
	"golang.org/x/sys/unix"

	"github.com/hangarhq/hangar/ipalloc"
)

// Organizations are kept apart by an nftables table of the agent's own ("table inet
// <name>"): Docker forwards IPv6 between its bridges unfiltered, and the Flycast
// addresses of every organization are local to the host. The table has two base chains,
// so Docker flushing and rewriting its own iptables chains never touches it:
//
//   - forward: a machine of an organization sends nothing to, and receives nothing
//     from, an fdaa::/16 address outside the organization's /48 (6PN of other
//     organizations, of this installation or another one);
//   - input: a machine reaches no host address in fdaa::/16 outside its organization's
//     /48 (other organizations' Flycast ranges, resolver and gateway addresses) except
//     the DNS server on fdaa::3 port 53, and a Flycast range is reached by no fdaa::/16
//     address outside its organization.
//
// The host itself reaches every organization: what it sends is OUTPUT, and when it
// sends to its own addresses the packet comes back in on lo, which input lets through.
// Every rule carries a comment and a counter, for `nft list table inet <name>`.

const (
	forwardChain = "forward"
	inputChain   = "input"
	// offsets of the addresses in the IPv6 header
	srcOffset = 8
	dstOffset = 24
)

// IsolateOrgs makes the table hold exactly the rules for orgs (organization /48s) in
// one transaction, so no packet ever sees a half-made table; with no orgs it removes the
// table. A table of that name left by an agent that was killed is replaced.
func IsolateOrgs(table string, orgs []netip.Prefix) error {
	c, err := nftables.New()
	if err != nil {
		return fmt.Errorf("opening nftables: %w", err)
	}
	t := removeTable(c, table)
	if len(orgs) > 0 {
		c.AddTable(t)
		chains := map[string]*nftables.Chain{
			forwardChain: addChain(c, t, forwardChain, nftables.ChainHookForward),
			inputChain:   addChain(c, t, inputChain, nftables.ChainHookInput),
		}
		for _, r := range isolationRules(orgs) {
			c.AddRule(&nftables.Rule{Table: t, Chain: chains[r.chain], Exprs: r.exprs,
				UserData: userdata.AppendString(nil, userdata.TypeComment, r.comment)})
		}
	}
	if err := c.Flush(); err != nil {
		return privilege(fmt.Errorf("isolating organizations in nftables table inet %s: %w", table, err))
	}
	return nil
}

// RemoveIsolation deletes the table; a missing table is not an error.
func RemoveIsolation(table string) error {
	return IsolateOrgs(table, nil)
}

// removeTable queues the table's removal: adding it first makes the delete succeed
// whether or not the table is there.
func removeTable(c *nftables.Conn, name string) *nftables.Table {
	t := &nftables.Table{Name: name, Family: nftables.TableFamilyINet}
	c.AddTable(t)
	c.DelTable(t)
	return t
}

// addChain queues a base chain that accepts what its rules do not drop.
func addChain(c *nftables.Conn, t *nftables.Table, name string, hook *nftables.ChainHook) *nftables.Chain {
	accept := nftables.ChainPolicyAccept
	return c.AddChain(&nftables.Chain{Name: name, Table: t, Type: nftables.ChainTypeFilter,
		Hooknum: hook, Priority: nftables.ChainPriorityFilter, Policy: &accept})
}

// IsolationIntact reports whether the table is there with exactly the rules IsolateOrgs
// makes for orgs, told apart by their comments; the agent puts them back when not.
func IsolationIntact(table string, orgs []netip.Prefix) (bool, error) {
	c, err := nftables.New()
	if err != nil {
		return false, fmt.Errorf("opening nftables: %w", err)
	}
	tables, err := c.ListTablesOfFamily(nftables.TableFamilyINet)
	if err != nil {
		return false, privilege(fmt.Errorf("listing nftables tables: %w", err))
	}
	i := slices.IndexFunc(tables, func(t *nftables.Table) bool { return t.Name == table })
	if i < 0 {
		return len(orgs) == 0, nil
	}
	var got, want []string
	for _, chain := range []string{forwardChain, inputChain} {
		rules, err := c.GetRules(tables[i], &nftables.Chain{Name: chain})
		if err != nil {
			return false, nil // the chain is gone
		}
		for _, r := range rules {
			comment, _ := userdata.GetString(r.UserData, userdata.TypeComment)
			got = append(got, chain+": "+comment)
		}
		for _, r := range isolationRules(orgs) {
			if r.chain == chain {
				want = append(want, chain+": "+r.comment)
			}
		}
	}
	return slices.Equal(got, want), nil
}

type rule struct {
	chain, comment string
	exprs          []expr.Any
}

// isolationRules are the table's rules in order: the input chain's exceptions first.
func isolationRules(orgs []netip.Prefix) []rule {
	ula, dns := ipalloc.ULARange(), netip.PrefixFrom(ipalloc.DNSAddr(), 128)
	out := []rule{
		{inputChain, "the host reaches every organization", join(iifname("lo"), verdict(expr.VerdictAccept))},
		{inputChain, "machines ask the DNS server on fdaa::3 (udp)", join(ip6(), addr(dstOffset, dns, expr.CmpOpEq), port53(unix.IPPROTO_UDP), verdict(expr.VerdictAccept))},
		{inputChain, "machines ask the DNS server on fdaa::3 (tcp)", join(ip6(), addr(dstOffset, dns, expr.CmpOpEq), port53(unix.IPPROTO_TCP), verdict(expr.VerdictAccept))},
	}
	for _, org := range orgs {
		machines, flycast := ipalloc.MachineSubnet(org), ipalloc.FlycastRange(org)
		out = append(out,
			rule{forwardChain, fmt.Sprintf("%s: machines reach no other organization", org),
				drop(addr(srcOffset, machines, expr.CmpOpEq), addr(dstOffset, ula, expr.CmpOpEq), addr(dstOffset, org, expr.CmpOpNeq))},
			rule{forwardChain, fmt.Sprintf("%s: no other organization reaches the machines", org),
				drop(addr(dstOffset, machines, expr.CmpOpEq), addr(srcOffset, ula, expr.CmpOpEq), addr(srcOffset, org, expr.CmpOpNeq))},
			rule{inputChain, fmt.Sprintf("%s: machines reach no other organization's host addresses", org),
				drop(addr(srcOffset, machines, expr.CmpOpEq), addr(dstOffset, ula, expr.CmpOpEq), addr(dstOffset, org, expr.CmpOpNeq))},
			rule{inputChain, fmt.Sprintf("%s: no other organization reaches the Flycast addresses", org),
				drop(addr(dstOffset, flycast, expr.CmpOpEq), addr(srcOffset, ula, expr.CmpOpEq), addr(srcOffset, org, expr.CmpOpNeq))},
		)
	}
	return out
}

func join(parts ...[]expr.Any) []expr.Any { return slices.Concat(parts...) }

// drop is an IPv6 rule of matches that counts and drops what they all match.
func drop(matches ...[]expr.Any) []expr.Any {
	return join(ip6(), join(matches...), []expr.Any{&expr.Counter{}}, verdict(expr.VerdictDrop))
}

func verdict(k expr.VerdictKind) []expr.Any { return []expr.Any{&expr.Verdict{Kind: k}} }

// ip6 matches IPv6 packets, which an inet table must check before reading their header.
func ip6() []expr.Any {
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyNFPROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.NFPROTO_IPV6}},
	}
}

// addr compares the source or destination address (by its offset in the header) with
// a prefix: its whole bytes by a shorter load, any bits left over through a mask.
func addr(offset uint32, p netip.Prefix, op expr.CmpOp) []expr.Any {
	p = p.Masked()
	n := uint32((p.Bits() + 7) / 8)
	a := p.Addr().As16()
	out := []expr.Any{&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: offset, Len: n}}
	if p.Bits()%8 != 0 {
		mask := make([]byte, n)
		for i := range mask {
			mask[i] = 0xff
		}
		mask[n-1] = byte(0xff << (8 - p.Bits()%8))
		out = append(out, &expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: n, Mask: mask, Xor: make([]byte, n)})
	}
	return append(out, &expr.Cmp{Op: op, Register: 1, Data: a[:n]})
}

// port53 matches a DNS query of one transport protocol.
func port53(proto byte) []expr.Any {
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{proto}},
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{0, 53}},
	}
}

// iifname matches packets that came in on a device, its name padded as the kernel keeps it.
func iifname(name string) []expr.Any {
	data := make([]byte, unix.IFNAMSIZ)
	copy(data, name)
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyIIFNAME, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: data},
	}
}

// IsolationTables lists the inet tables whose names start with prefix: every
// installation's isolation table, so that those of agents that are gone can go too.
func IsolationTables(prefix string) ([]string, error) {
	c, err := nftables.New()
	if err != nil {
		return nil, privilege(fmt.Errorf("reading nftables: %w", err))
	}
	tables, err := c.ListTablesOfFamily(nftables.TableFamilyINet)
	if err != nil {
		return nil, privilege(fmt.Errorf("listing nftables tables: %w", err))
	}
	var out []string
	for _, t := range tables {
		if strings.HasPrefix(t.Name, prefix) {
			out = append(out, t.Name)
		}
	}
	return out, nil
}
