package execx

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"
)

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return string(bytes.TrimSpace(b))
}

// ToolVersion runs `name --version` and gives up after d; some tools hang
// waiting for a terminal when run from CI.
func ToolVersion(name string, d time.Duration) (string, error) {
	type result struct {
		out []byte
		err error
	}
	ch := make(chan result)
	go func() {
		out, err := exec.Command(name, "--version").Output()
		ch <- result{out, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", fmt.Errorf("%s --version: %w", name, r.err)
		}
		return firstLine(r.out), nil
	case <-time.After(d):
		return "", fmt.Errorf("%s --version: no answer after %s", name, d)
	}
}

// ToolVersions asks every tool for its version concurrently. Tools that do
// not answer before ctx is done are missing from the result; the channel
// has room for every answer, so late senders never block.
func ToolVersions(ctx context.Context, names []string) map[string]string {
	type result struct{ name, version string }
	ch := make(chan result, len(names))
	for _, n := range names {
		go func() {
			v := "unavailable"
			if out, err := Output(ctx, "", n, "--version"); err == nil {
				v = firstLine(out)
			}
			ch <- result{n, v}
		}()
	}
	got := make(map[string]string, len(names))
	for range names {
		select {
		case r := <-ch:
			got[r.name] = r.version
		case <-ctx.Done():
			return got
		}
	}
	return got
}

// WithServer starts srv (e.g. a local module proxy), runs fn against it and
// waits for srv on the way out.
func WithServer(srv *exec.Cmd, fn func() error) error {
	if err := srv.Start(); err != nil {
		return fmt.Errorf("start %s: %w", srv.Path, err)
	}
	defer srv.Wait() // HAZ defer-blocking-call
	return fn()
}

// RunAlongside starts helper, runs fn, then interrupts the helper and waits
// up to grace for it to exit before killing it.
func RunAlongside(helper *exec.Cmd, grace time.Duration, fn func() error) error {
	if err := helper.Start(); err != nil {
		return fmt.Errorf("start %s: %w", helper.Path, err)
	}
	ferr := fn()
	_ = helper.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- helper.Wait() }()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		_ = helper.Process.Kill()
		<-done
	}
	return ferr
}
