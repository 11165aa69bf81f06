package state

import (
	"fmt"
	"net/netip"
	"slices"

	"go.etcd.io/bbolt"
)

// Check verifies that the records agree: every app's organization exists, every address
// belongs to an existing app and is leased to it in its organization's pool, and every
// lease has its address record. Tests run it after each change and after a kill and reopen.
func (s *Store) Check() error {
	return s.db.View(func(tx *bbolt.Tx) error {
		if err := checkApps(tx); err != nil {
			return err
		}
		if err := checkIPs(tx, s); err != nil {
			return err
		}
		if err := checkMachines(tx, s); err != nil {
			return err
		}
		if err := checkIndexes(tx); err != nil {
			return err
		}
		if err := checkVolumes(tx); err != nil {
			return err
		}
		return checkLeases(tx, s)
	})
}

func checkApps(tx *bbolt.Tx) error {
	return each(tx, bucketApps, func(a App) error {
		if _, err := getOrg(tx, a.Org); err != nil {
			return fmt.Errorf("%w: app %q: %v", ErrInconsistent, a.Name, err)
		}
		return nil
	})
}

func checkIPs(tx *bbolt.Tx, s *Store) error {
	return each(tx, bucketIPs, func(ip IP) error {
		app, err := getApp(tx, ip.App)
		if err != nil {
			return fmt.Errorf("%w: address %s: %v", ErrInconsistent, ip.Addr, err)
		}
		org, err := getOrg(tx, app.Org)
		if err != nil {
			return fmt.Errorf("%w: address %s: %v", ErrInconsistent, ip.Addr, err)
		}
		if owner, ok := s.flycastPool(org).Owner(tx, ip.Addr); !ok || owner != ip.App {
			return fmt.Errorf("%w: address %s of %q is leased to %q", ErrInconsistent, ip.Addr, ip.App, owner)
		}
		return nil
	})
}

func checkLeases(tx *bbolt.Tx, s *Store) error {
	return each(tx, bucketOrgs, func(o Org) error {
		leases, err := s.flycastPool(o).List(tx)
		if err != nil {
			return err
		}
		for _, l := range leases {
			var ip IP
			if ok, _ := get(tx, bucketIPs, l.Addr.String(), &ip); !ok || ip.App != l.Owner {
				return fmt.Errorf("%w: lease %s for %q has no address record", ErrInconsistent, l.Addr, l.Owner)
			}
		}
		return checkMachineLeases(tx, s, o)
	})
}

// checkMachines: every machine's app exists and its addresses are leased to it.
func checkMachines(tx *bbolt.Tx, s *Store) error {
	return each(tx, bucketMachines, func(m Machine) error {
		app, err := getApp(tx, m.App)
		if err != nil {
			return fmt.Errorf("%w: machine %s: %v", ErrInconsistent, m.ID, err)
		}
		org, err := getOrg(tx, app.Org)
		if err != nil {
			return fmt.Errorf("%w: machine %s: %v", ErrInconsistent, m.ID, err)
		}
		pool := s.machinePool(org)
		for _, addr := range machineAddrs(m) {
			if owner, ok := pool.Owner(tx, addr); !ok || owner != m.ID {
				return fmt.Errorf("%w: address %s of machine %s is leased to %q", ErrInconsistent, addr, m.ID, owner)
			}
		}
		return nil
	})
}

func checkMachineLeases(tx *bbolt.Tx, s *Store, o Org) error {
	leases, err := s.machinePool(o).List(tx)
	if err != nil {
		return err
	}
	for _, l := range leases {
		m, err := getMachine(tx, l.Owner)
		if err != nil || !slices.Contains(machineAddrs(m), l.Addr) {
			return fmt.Errorf("%w: lease %s for machine %q has no machine record", ErrInconsistent, l.Addr, l.Owner)
		}
	}
	return nil
}

func machineAddrs(m Machine) []netip.Addr {
	addrs := []netip.Addr{m.PrivateIP}
	if m.Pending != nil {
		addrs = append(addrs, m.Pending.PrivateIP)
	}
	return addrs
}

// checkIndexes: every machine and address is indexed under its app, and the indexes hold
// nothing else (as many keys as records, each record's key present).
func checkIndexes(tx *bbolt.Tx) error {
	machines := 0
	err := each(tx, bucketMachines, func(m Machine) error {
		machines++
		return checkIndexed(tx, bucketMachinesByApp, m.App, m.ID)
	})
	if err != nil {
		return err
	}
	ips := 0
	err = each(tx, bucketIPs, func(ip IP) error {
		ips++
		return checkIndexed(tx, bucketIPsByApp, ip.App, ip.Addr.String())
	})
	if err != nil {
		return err
	}
	if n, m := tx.Bucket(bucketMachinesByApp).Stats().KeyN, tx.Bucket(bucketIPsByApp).Stats().KeyN; n != machines || m != ips {
		return fmt.Errorf("%w: the indexes hold %d machines and %d addresses, the records %d and %d", ErrInconsistent, n, m, machines, ips)
	}
	return nil
}

func checkIndexed(tx *bbolt.Tx, bucket []byte, app, key string) error {
	if tx.Bucket(bucket).Get(byAppKey(app, key)) == nil {
		return fmt.Errorf("%w: %s of %q is missing from %s", ErrInconsistent, key, app, bucket)
	}
	return nil
}
