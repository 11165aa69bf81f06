// Command snapbench measures volume snapshot and restore throughput (pkg/snapshot) on a
// 200 MB directory against GNU tar of the same directory, and prints the ratios.
package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/hangarhq/hangar/pkg/snapshot"
)

const totalMB = 200

func main() {
	work, err := os.MkdirTemp("", "snapbench-")
	check(err)
	defer os.RemoveAll(work)
	src := filepath.Join(work, "vol")
	check(fill(src))
	archive := filepath.Join(work, "snap.tar.gz")

	start := time.Now()
	size, sum, err := snapshot.Write(src, archive)
	check(err)
	snap := time.Since(start)
	start = time.Now()
	check(snapshot.Restore(archive, sum, mkdir(work, "restored")))
	restore := time.Since(start)

	// gzip -1 is the level hangar writes at: the fair baseline; tar -z (level 6) is the usual one.
	tarFast := timed("tar", "-I", "gzip -1", "-cf", filepath.Join(work, "t1.tar.gz"), "-C", src, ".")
	tarGz := timed("tar", "-czf", filepath.Join(work, "t.tar.gz"), "-C", src, ".")
	untarGz := timed("tar", "-xzf", filepath.Join(work, "t.tar.gz"), "-C", mkdir(work, "untar-gz"))
	tarPlain := timed("tar", "-cf", filepath.Join(work, "t.tar"), "-C", src, ".")
	untarPlain := timed("tar", "-xf", filepath.Join(work, "t.tar"), "-C", mkdir(work, "untar"))

	fmt.Printf("volume: %d MB (half random, half text), archive %.1f MB\n", totalMB, float64(size)/1e6)
	row("snapshot (tar+gzip, sha256)", snap, "tar -czf", tarGz, "tar -cf", tarPlain)
	fmt.Printf("%-28s %6.0f MB/s (hangar x%.2f)\n", "tar -I 'gzip -1' -cf", mbps(tarFast), tarFast.Seconds()/snap.Seconds())
	row("restore (verify, extract)", restore, "tar -xzf", untarGz, "tar -xf", untarPlain)
}

func row(name string, d time.Duration, gzName string, gz time.Duration, plainName string, plain time.Duration) {
	fmt.Printf("%-28s %6.0f MB/s | %s %6.0f MB/s (hangar x%.2f) | %s %6.0f MB/s (hangar x%.2f)\n", name, mbps(d),
		gzName, mbps(gz), gz.Seconds()/d.Seconds(), plainName, mbps(plain), plain.Seconds()/d.Seconds())
}

func mbps(d time.Duration) float64 { return totalMB / d.Seconds() }

// fill writes 100 MB of random bytes and 100 MB of repetitive text in 1 MB files.
func fill(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for i := range totalMB {
		if i%2 == 0 {
			rand.Read(buf)
		} else {
			for j := range buf {
				buf[j] = "key=value; a log line of a database\n"[j%36]
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d", i)), buf, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func timed(name string, args ...string) time.Duration {
	start := time.Now()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		check(fmt.Errorf("%s: %v\n%s", name, err, out))
	}
	return time.Since(start)
}

func mkdir(parent, name string) string {
	dir := filepath.Join(parent, name)
	check(os.MkdirAll(dir, 0o755))
	return dir
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "snapbench:", err)
		os.Exit(1)
	}
}
