package ipalloc

import (
	"encoding/binary"
	"net/netip"
	"time"

	"go.etcd.io/bbolt"
)

// Bucket layout, all inside the caller's database:
//
//	ipalloc/                       top-level bucket
//	  <range, e.g. fdaa:0:2a:0:1::/80>/
//	    used/     16-byte address → 8-byte since (Unix ns, big endian) + owner
//	    released/ 16-byte address → 8-byte release time (Unix ns)
//	    meta/     cursor → 16-byte next candidate address
//	              sweep  → 16-byte address the next purge of released starts at
//	              count  → 8-byte number of keys in used
//
// Addresses are keys in network byte order, so bbolt's key order is
// numeric order and a cursor Seek finds the first address at or above one.
var (
	rootBucket     = []byte("ipalloc")
	usedBucket     = []byte("used")
	releasedBucket = []byte("released")
	metaBucket     = []byte("meta")
	cursorKey      = []byte("cursor")
	sweepKey       = []byte("sweep")
	countKey       = []byte("count")
)

// buckets are one pool's nested buckets.
type buckets struct{ used, released, meta *bbolt.Bucket }

// createBuckets opens a pool's buckets, creating any that are missing;
// tx must be writable.
func createBuckets(tx *bbolt.Tx, name []byte) (buckets, error) {
	root, err := tx.CreateBucketIfNotExists(rootBucket)
	if err != nil {
		return buckets{}, err
	}
	pool, err := root.CreateBucketIfNotExists(name)
	if err != nil {
		return buckets{}, err
	}
	var bs [3]*bbolt.Bucket
	for i, n := range [][]byte{usedBucket, releasedBucket, metaBucket} {
		if bs[i], err = pool.CreateBucketIfNotExists(n); err != nil {
			return buckets{}, err
		}
	}
	return buckets{bs[0], bs[1], bs[2]}, nil
}

// lookupBuckets opens a pool's buckets in any transaction; ok is false
// when the pool has never allocated.
func lookupBuckets(tx *bbolt.Tx, name []byte) (b buckets, ok bool) {
	root := tx.Bucket(rootBucket)
	if root == nil {
		return buckets{}, false
	}
	pool := root.Bucket(name)
	if pool == nil {
		return buckets{}, false
	}
	b = buckets{pool.Bucket(usedBucket), pool.Bucket(releasedBucket), pool.Bucket(metaBucket)}
	return b, b.used != nil && b.released != nil && b.meta != nil
}

// key returns a fresh key for a; bbolt keeps the slice until commit.
func key(a netip.Addr) []byte {
	k := a.As16()
	return k[:]
}

func keyAddr(k []byte) (netip.Addr, bool) {
	if len(k) != 16 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16([16]byte(k)), true
}

func encodeTime(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano()))
}

func decodeTime(v []byte) (time.Time, bool) {
	if len(v) < 8 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(), true
}

func encodeLease(owner string, since time.Time) []byte {
	return append(encodeTime(since), owner...)
}

func decodeLease(v []byte) (owner string, since time.Time, ok bool) {
	since, ok = decodeTime(v)
	if !ok {
		return "", time.Time{}, false
	}
	return string(v[8:]), since, true
}

// getAddr reads an address kept in meta, or def when it is missing or
// outside s.
func getAddr(meta *bbolt.Bucket, name []byte, s span, def netip.Addr) netip.Addr {
	a, ok := keyAddr(meta.Get(name))
	if !ok || !s.prefix.Contains(a) {
		return def
	}
	return a
}

func getCount(meta *bbolt.Bucket) uint64 {
	v := meta.Get(countKey)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func putCount(meta *bbolt.Bucket, n uint64) error {
	return meta.Put(countKey, binary.BigEndian.AppendUint64(nil, n))
}
