package hostpeers

import (
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestRegisterAndRunning(t *testing.T) {
	dir := t.TempDir()
	a, err := Register(dir, "aaaa")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Register(dir, "bbbb")
	if err != nil {
		t.Fatal(err)
	}
	if got := Running(dir); !slices.Equal(got, []string{"aaaa", "bbbb"}) {
		t.Fatalf("Running = %v, want both", got)
	}
	if got := a.Others(); !slices.Equal(got, []string{"bbbb"}) {
		t.Fatalf("a.Others = %v, want [bbbb]", got)
	}
	if _, err := Register(dir, "aaaa"); err == nil {
		t.Fatal("a second registration of one installation was accepted")
	}
	b.Close()
	if got := a.Others(); len(got) != 0 {
		t.Fatalf("after b closed, a.Others = %v", got)
	}
	if Alive(dir, "bbbb") {
		t.Fatal("a closed registration is alive")
	}
	a.Close()
}

// TestKilledAgentIsNotAlive: a process that registered and was killed with SIGKILL leaves
// a file whose lock anyone can take, and Running cleans it.
func TestKilledAgentIsNotAlive(t *testing.T) {
	dir := t.TempDir()
	if os.Getenv("HOSTPEERS_CHILD") != "" {
		if _, err := Register(os.Getenv("HOSTPEERS_CHILD"), "child"); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("registered\n")
		time.Sleep(time.Minute)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledAgentIsNotAlive$")
	cmd.Env = append(os.Environ(), "HOSTPEERS_CHILD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, _ := out.Read(buf); n == 0 {
		t.Fatal("the child did not register")
	}
	if !Alive(dir, "child") {
		t.Fatal("a running child is not alive")
	}
	cmd.Process.Kill()
	cmd.Wait()
	if Alive(dir, "child") {
		t.Fatal("a killed child is alive")
	}
	if _, err := os.Stat(lockPath(dir, "child")); !os.IsNotExist(err) {
		t.Fatalf("the dead agent's file is still there: %v", err)
	}
}

func TestExclusiveSerializes(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	inside, most := 0, 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			Exclusive(dir, func() error {
				mu.Lock()
				inside++
				most = max(most, inside)
				mu.Unlock()
				time.Sleep(time.Millisecond)
				mu.Lock()
				inside--
				mu.Unlock()
				return nil
			})
		})
	}
	wg.Wait()
	if most != 1 {
		t.Fatalf("%d sections ran at once", most)
	}
}

// TestLedgers: a running agent's ledger is not an orphan; once it is gone, it is.
func TestLedgers(t *testing.T) {
	dir := t.TempDir()
	live, err := Register(dir, "aaaa")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if err := Record(dir, "aaaa", "routes", []string{"fdaa:1:2:0:1::/80"}); err != nil {
		t.Fatal(err)
	}
	if err := Record(dir, "bbbb", "routes", []string{"fdaa:3:4:0:1::/80", "fdaa:5:6:0:1::/80"}); err != nil {
		t.Fatal(err)
	}
	got := Orphans(dir, "routes")
	if len(got) != 1 || len(got["bbbb"]) != 2 {
		t.Fatalf("orphans = %v, want bbbb's two routes only", got)
	}
	Forget(dir, "bbbb", "routes")
	if got := Orphans(dir, "routes"); len(got) != 0 {
		t.Fatalf("after Forget: %v", got)
	}
}
