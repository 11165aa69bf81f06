package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/hangarhq/hangar/pkg/home"
)

// StartTimeout bounds how long a CLI waits for an agent it started.
const StartTimeout = 15 * time.Second

// ErrAgentNeedsLinux is why a CLI on another system does not start an agent: the agent
// changes the host's network through netlink, which only Linux has.
var ErrAgentNeedsLinux = errors.New("the hangar agent runs on Linux only; on macOS run it in a Linux VM")

// agentOS is the system the CLI runs on (tests pretend others).
var agentOS = runtime.GOOS

// EnsureAgent returns a client of the agent for dir, starting `exe agent run` in the
// background when none answers, as flyctl does with its agent. Concurrent callers
// start one agent between them: the start is serialised by a lock file.
func EnsureAgent(ctx context.Context, dir, exe string, notice io.Writer) (*Client, error) {
	c := NewClient(home.Socket(dir))
	if _, err := c.Ping(ctx); err == nil {
		return c, nil
	}
	if agentOS != "linux" {
		return nil, fmt.Errorf("no hangar agent answers on %s, and this one cannot start it: %w", home.Socket(dir), ErrAgentNeedsLinux)
	}
	if err := home.Ensure(dir); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	unlock, err := lockFile(ctx, home.StartLock(dir))
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := c.Ping(ctx); err == nil {
		return c, nil // another CLI started it while we waited for the lock
	}
	pid, err := spawnAgent(ctx, c, dir, exe)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(notice, "Started the hangar agent in the background (pid %d, log %s)\n", pid, home.Log(dir))
	return c, nil
}

// lockFile takes an exclusive flock, polling until ctx or StartTimeout ends.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	deadline := time.Now().Add(StartTimeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			f.Close()
			return nil, fmt.Errorf("waiting for %s: another hangar is starting the agent and did not finish", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// spawnAgent starts the agent detached from this process and waits until it answers.
func spawnAgent(ctx context.Context, c *Client, dir, exe string) (int, error) {
	logf, err := os.OpenFile(home.Log(dir), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, fmt.Errorf("opening the agent log: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(exe, "agent", "run")
	cmd.Env = append(os.Environ(), "HANGAR_HOME="+dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("starting the hangar agent (%s agent run): %w", exe, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return cmd.Process.Pid, waitReady(ctx, c, dir, exited)
}

func waitReady(ctx context.Context, c *Client, dir string, exited <-chan error) error {
	deadline := time.Now().Add(StartTimeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if _, err := c.Ping(ctx); err == nil {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("the hangar agent exited while starting (%v); its log says:\n%s", err, logTail(dir))
		case <-time.After(25 * time.Millisecond):
		}
	}
	return errors.New("the hangar agent did not answer within " + StartTimeout.String() + "; its log says:\n" + logTail(dir))
}

// logTail returns the last lines of the agent log, for errors.
func logTail(dir string) string {
	data, _ := os.ReadFile(home.Log(dir))
	lines := strings.Split(string(bytes.TrimSpace(data)), "\n")
	if len(lines) > 10 {
		lines = lines[len(lines)-10:]
	}
	return "  " + strings.Join(lines, "\n  ")
}
