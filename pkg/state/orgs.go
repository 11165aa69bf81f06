package state

import (
	"crypto/rand"
	"fmt"
	"net/netip"
	"time"

	"go.etcd.io/bbolt"

	"github.com/hangarhq/hangar/ipalloc"
)

// DefaultOrg is the organization used when none is named, as flyctl's "personal".
const DefaultOrg = "personal"

// Orgs lists every organization by slug.
func (s *Store) Orgs() ([]Org, error) {
	var orgs []Org
	err := s.db.View(func(tx *bbolt.Tx) error {
		return each(tx, bucketOrgs, func(o Org) error { orgs = append(orgs, o); return nil })
	})
	return orgs, err
}

// Org returns one organization.
func (s *Store) Org(slug string) (Org, error) {
	var o Org
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		o, err = getOrg(tx, slug)
		return err
	})
	return o, err
}

func getOrg(tx *bbolt.Tx, slug string) (Org, error) {
	var o Org
	ok, err := get(tx, bucketOrgs, slug, &o)
	if err == nil && !ok {
		err = orgNotFound(slug)
	}
	return o, err
}

// ensureOrg returns the organization, creating it with a fresh random /48 on first use.
func ensureOrg(tx *bbolt.Tx, slug string, now time.Time) (Org, error) {
	var o Org
	if ok, err := get(tx, bucketOrgs, slug, &o); ok || err != nil {
		return o, err
	}
	prefix, err := freshPrefix(tx)
	if err != nil {
		return o, err
	}
	o = Org{Slug: slug, Name: slug, Prefix: prefix, CreatedAt: now}
	return o, put(tx, bucketOrgs, slug, o)
}

// freshPrefix draws a random org prefix that no other organization here uses.
func freshPrefix(tx *bbolt.Tx) (netip.Prefix, error) {
	taken := map[netip.Prefix]bool{}
	_ = each(tx, bucketOrgs, func(o Org) error { taken[o.Prefix] = true; return nil })
	for range 64 {
		p, err := ipalloc.NewOrgPrefix(rand.Reader)
		if err != nil {
			return p, fmt.Errorf("drawing an organization prefix: %w", err)
		}
		if !taken[p] {
			return p, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("drawing an organization prefix: every draw collided")
}

// flycastPool is the pool an organization's Flycast addresses come from.
func (s *Store) flycastPool(o Org) *ipalloc.Pool { return ipalloc.NewFlycastPool(o.Prefix, s.grace()) }

// machinePool is the pool of an organization's machine (6PN) addresses.
func (s *Store) machinePool(o Org) *ipalloc.Pool { return ipalloc.NewMachinePool(o.Prefix, s.grace()) }

func (s *Store) grace() time.Duration {
	if s.Grace == 0 {
		return ipalloc.DefaultGrace
	}
	return s.Grace
}
