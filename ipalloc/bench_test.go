package ipalloc

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

const (
	benchLive     = 1_000_000
	prefillChunk  = 250_000 // puts per prefill transaction
	rollbackEvery = 4096    // allocations per throwaway transaction
)

// benchDB is a prefilled database shared by the benchmarks of one run and
// built once, outside any timer; TestMain removes it.
type benchDB struct {
	once       sync.Once
	fragmented bool
	dir        string
	db         *bbolt.DB
	err        error
}

var (
	benchPool    = NewFlycastPool(testOrg, DefaultGrace)
	sequentialDB = &benchDB{}
	fragmentedDB = &benchDB{fragmented: true}
)

func (d *benchDB) open(b *testing.B) *bbolt.DB {
	b.Helper()
	d.once.Do(d.create)
	if d.err != nil {
		b.Fatal(d.err)
	}
	return d.db
}

func (d *benchDB) create() {
	if d.dir, d.err = os.MkdirTemp("", "ipalloc-bench-"); d.err != nil {
		return
	}
	opts := &bbolt.Options{NoSync: true}
	if d.db, d.err = bbolt.Open(filepath.Join(d.dir, "state.db"), 0o600, opts); d.err != nil {
		return
	}
	d.err = prefill(d.db, benchPool, benchLive, d.fragmented)
}

func removeBenchDirs() {
	for _, d := range []*benchDB{sequentialDB, fragmentedDB} {
		if d.db != nil {
			d.db.Close()
		}
		if d.dir != "" {
			os.RemoveAll(d.dir)
		}
	}
}

// prefill writes live addresses from ::2 straight into p's buckets with
// sequential puts in a few big transactions. A fragmented pool has every
// other address released at t0 and its cursor at the start, so each
// allocation steps over a live address into an expired release.
func prefill(db *bbolt.DB, p *Pool, live int, fragmented bool) error {
	s, err := p.span()
	if err != nil {
		return err
	}
	a, done := addAddr(s.first, 2), 0
	for done < live {
		err := db.Update(func(tx *bbolt.Tx) error {
			b, err := createBuckets(tx, s.name())
			if err != nil {
				return err
			}
			b.used.FillPercent, b.released.FillPercent = 1, 1
			for i := 0; i < prefillChunk && done < live; i, done = i+1, done+1 {
				a, err = prefillOne(b, a, fragmented)
				if err != nil {
					return err
				}
			}
			return prefillMeta(b, a, done, fragmented)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func prefillOne(b buckets, a netip.Addr, fragmented bool) (netip.Addr, error) {
	if err := b.used.Put(key(a), encodeLease("app", t0)); err != nil {
		return a, err
	}
	if !fragmented {
		return a.Next(), nil
	}
	return addAddr(a, 2), b.released.Put(key(a.Next()), encodeTime(t0))
}

func prefillMeta(b buckets, next netip.Addr, live int, fragmented bool) error {
	if !fragmented {
		if err := b.meta.Put(cursorKey, key(next)); err != nil {
			return err
		}
	}
	return putCount(b.meta, uint64(live))
}

// BenchmarkAllocateAt1e6Live measures the search and the puts of one
// allocation in a /80 holding 10^6 live addresses, without the commit.
func BenchmarkAllocateAt1e6Live(b *testing.B) {
	benchAllocateInTx(b, sequentialDB.open(b), t0)
}

// BenchmarkAllocateFragmented is the same with every other address
// released (grace over) and the cursor at the start of the range.
func BenchmarkAllocateFragmented(b *testing.B) {
	benchAllocateInTx(b, fragmentedDB.open(b), t0.Add(2*DefaultGrace))
}

func benchAllocateInTx(b *testing.B, db *bbolt.DB, now time.Time) {
	tx, err := db.Begin(true)
	if err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, rollbackEvery)
	for b.Loop() {
		start := time.Now()
		if _, err := benchPool.Allocate(tx, "bench", now); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if len(lat)%rollbackEvery == 0 {
			b.StopTimer()
			tx = restart(b, db, tx)
			b.StartTimer()
		}
	}
	_ = tx.Rollback()
	reportLatency(b, "", lat)
}

// restart throws tx away, so every batch starts from the prefilled state.
func restart(b *testing.B, db *bbolt.DB, tx *bbolt.Tx) *bbolt.Tx {
	if err := tx.Rollback(); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin(true)
	if err != nil {
		b.Fatal(err)
	}
	return tx
}

// BenchmarkAllocateCommit is one transaction per allocation with fsync on
// the 10^6-live database, reporting the search and the commit apart.
func BenchmarkAllocateCommit(b *testing.B) {
	db := sequentialDB.open(b)
	db.NoSync = false
	defer func() { db.NoSync = true }()
	var search, commit []time.Duration
	for b.Loop() {
		s, c, err := allocateTimed(db)
		if err != nil {
			b.Fatal(err)
		}
		search, commit = append(search, s), append(commit, c)
	}
	reportLatency(b, "search-", search)
	reportLatency(b, "commit-", commit)
}

func allocateTimed(db *bbolt.DB) (search, commit time.Duration, err error) {
	tx, err := db.Begin(true)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if _, err := benchPool.Allocate(tx, "bench", t0); err != nil {
		return 0, 0, errors.Join(err, tx.Rollback())
	}
	mid := time.Now()
	err = tx.Commit()
	return mid.Sub(start), time.Since(mid), err
}

// BenchmarkAllocateExhausted is the cost of finding that a /120 is full:
// one pass over its 255 live keys.
func BenchmarkAllocateExhausted(b *testing.B) {
	p := NewPool(netip.MustParsePrefix("fdaa:0:2a:0:1::/120"), 0)
	db := newDB(b, p)
	for range 255 {
		mustAllocate(b, db, p, "app", t0)
	}
	tx, err := db.Begin(true)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for b.Loop() {
		if _, err := p.Allocate(tx, "bench", t0); !errors.Is(err, ErrExhausted) {
			b.Fatalf("full /120: %v", err)
		}
	}
}

// reportLatency adds mean, p50 and p99 in ns per operation.
func reportLatency(b *testing.B, name string, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	slices.Sort(lat)
	b.ReportMetric(float64(sum.Nanoseconds())/float64(len(lat)), name+"mean-ns/op")
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), name+"p50-ns/op")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), name+"p99-ns/op")
}
