package state

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// RegionGlobal is the region Flycast addresses show, as on Fly.io.
const RegionGlobal = "global"

// AllocatePrivateV6 gives the app one more Flycast address from its organization's range.
func (s *Store) AllocatePrivateV6(appName string, now time.Time) (IP, error) {
	var ip IP
	err := s.db.Update(func(tx *bbolt.Tx) error {
		app, err := getApp(tx, appName)
		if err != nil {
			return err
		}
		org, err := getOrg(tx, app.Org)
		if err != nil {
			return err
		}
		ip, err = allocatePrivateV6(tx, s, app, org, now)
		return err
	})
	return ip, err
}

func allocatePrivateV6(tx *bbolt.Tx, s *Store, app App, org Org, now time.Time) (IP, error) {
	pool := s.flycastPool(org)
	addr, err := pool.Allocate(tx, app.Name, now)
	if err != nil {
		return IP{}, fmt.Errorf("allocating a private address in %s: %w", pool.Prefix, err)
	}
	ip := IP{Addr: addr, App: app.Name, Type: IPTypePrivateV6, Region: RegionGlobal, CreatedAt: now}
	if err := index(tx, bucketIPsByApp, app.Name, addr.String()); err != nil {
		return ip, err
	}
	return ip, put(tx, bucketIPs, addr.String(), ip)
}

// ReleaseIP takes an address from the app and keeps it out of circulation for the grace period.
func (s *Store) ReleaseIP(appName string, addr netip.Addr, now time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		app, err := getApp(tx, appName)
		if err != nil {
			return err
		}
		var ip IP
		ok, err := get(tx, bucketIPs, addr.String(), &ip)
		if err != nil {
			return err
		}
		if !ok || ip.App != appName {
			return fmt.Errorf("%s on app %q: %w", addr, appName, ErrIPNotFound)
		}
		return releaseIP(tx, s, app, ip, now)
	})
}

func releaseIP(tx *bbolt.Tx, s *Store, app App, ip IP, now time.Time) error {
	org, err := getOrg(tx, app.Org)
	if err != nil {
		return err
	}
	if err := s.flycastPool(org).Release(tx, ip.Addr, now); err != nil {
		return fmt.Errorf("releasing %s: %w", ip.Addr, err)
	}
	if err := unindex(tx, bucketIPsByApp, ip.App, ip.Addr.String()); err != nil {
		return err
	}
	return tx.Bucket(bucketIPs).Delete([]byte(ip.Addr.String()))
}

// IPs lists the app's addresses in address order.
func (s *Store) IPs(appName string) ([]IP, error) {
	var ips []IP
	err := s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getApp(tx, appName); err != nil {
			return err
		}
		var err error
		ips, err = appIPs(tx, appName)
		return err
	})
	return ips, err
}

// appIPs reads an app's addresses through its index.
func appIPs(tx *bbolt.Tx, appName string) ([]IP, error) {
	var ips []IP
	for _, key := range indexed(tx, bucketIPsByApp, appName) {
		var ip IP
		ok, err := get(tx, bucketIPs, key, &ip)
		if err == nil && !ok {
			err = fmt.Errorf("%w: address %s of %q is indexed but has no record", ErrInconsistent, key, appName)
		}
		if err != nil {
			return nil, err
		}
		ips = append(ips, ip)
	}
	slices.SortFunc(ips, func(a, b IP) int { return a.Addr.Compare(b.Addr) })
	return ips, nil
}
