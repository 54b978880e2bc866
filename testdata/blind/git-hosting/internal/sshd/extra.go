package sshd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Probe connects to a dispatcher's health listener and returns its status line.
func Probe(addr string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line), err
}

// ProbeControl sends one command to the control socket and returns the answer.
func ProbeControl(path, command string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	if _, err := fmt.Fprintf(conn, "%s\n", command); err != nil {
		return "", err
	}
	b, err := io.ReadAll(conn)
	return string(b), err
}

// readCommandTimeout is readCommand with a deadline, for clients that connect
// and never say anything.
func readCommandTimeout(br *bufio.Reader, timeout time.Duration) (service, repo string, err error) {
	type result struct {
		service, repo string
		err           error
	}
	ch := make(chan result)
	go func() {
		s, r, err := readCommand(br)
		ch <- result{s, r, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		return res.service, res.repo, res.err
	case <-time.After(timeout):
		return "", "", errors.New("timed out waiting for the command")
	}
}

// track registers conn as a running session and returns the function that
// unregisters it.
func (d *Dispatcher) track(conn net.Conn) (untrack func()) {
	s := &session{started: time.Now()}
	s.touch()
	d.sessions.Store(conn, s)
	d.active.Add(1)
	return func() { d.forget(conn) }
}

// ServeInetd runs one session for user on a connection handed over by
// inetd or systemd socket activation.
func (d *Dispatcher) ServeInetd(conn net.Conn, user string) error {
	defer conn.Close()
	defer d.track(conn) // HAZ defer-func-result-not-called
	br := bufio.NewReader(conn)
	service, repo, err := readCommandTimeout(br, 30*time.Second)
	if err != nil {
		d.reply(conn, "ERR %v", err)
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return d.dispatch(ctx, conn, br, user, service, repo)
}

// ServeTracked is ServeInetd for connections that already sent their command line.
func (d *Dispatcher) ServeTracked(ctx context.Context, conn net.Conn, br *bufio.Reader, user, service, repo string) error {
	defer d.track(conn)()
	return d.dispatch(ctx, conn, br, user, service, repo)
}

// ServeAll serves every listener and returns the first error.
func (d *Dispatcher) ServeAll(lns ...net.Listener) error {
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- d.Serve(ln)
		}()
	}
	return <-errc
}

// closeQuietly closes c, ignoring any failure: it is used on connections that
// are already known to be broken.
func closeQuietly(c io.Closer) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	c.Close()
}

// Broadcast sends an operator message to every session without waiting for
// slow clients.
func (d *Dispatcher) Broadcast(msg string) {
	defer func() {
		if v := recover(); v != nil {
			d.logger.Printf("broadcast: %v", v)
		}
	}()
	var conns []net.Conn
	d.sessions.Range(func(k, _ any) bool {
		conns = append(conns, k.(net.Conn))
		return true
	})
	for _, c := range conns {
		go func() { // HAZ goroutine-outside-recover
			if err := c.SetWriteDeadline(time.Now().Add(2 * time.Second)); err != nil {
				closeQuietly(c)
				return
			}
			if _, err := fmt.Fprintf(c, "# %s\n", msg); err != nil {
				closeQuietly(c)
			}
		}()
	}
}

// ProbeAll probes several health listeners at once and returns what answered
// within timeout.
func ProbeAll(addrs []string, timeout time.Duration) map[string]string {
	type result struct{ addr, status string }
	ch := make(chan result, len(addrs))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, a := range addrs {
		go func() {
			st, err := Probe(a, timeout)
			if err != nil {
				st = "down: " + err.Error()
			}
			ch <- result{a, st}
		}()
	}
	out := make(map[string]string, len(addrs))
	deadline := time.After(timeout)
	for range addrs {
		select {
		case r := <-ch:
			out[r.addr] = r.status
		case <-deadline:
			return out
		}
	}
	return out
}

// logState logs the dispatcher state.
func (d *Dispatcher) logState(event string) {
	d.logger.Printf("%s: closing=%v sessions=%d", event, d.isClosing(), d.active.Load())
}

// RemoveListener stops serving on ln.
func (d *Dispatcher) RemoveListener(ln net.Listener) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, l := range d.listeners {
		if l == ln {
			d.listeners = append(d.listeners[:i], d.listeners[i+1:]...)
			d.logState("listener removed") // HAZ lock-reentry-under-defer
			return ln.Close()
		}
	}
	return errors.New("sshd: unknown listener")
}

// Listeners returns the addresses being served.
func (d *Dispatcher) Listeners() []string {
	d.mu.Lock()
	lns := append([]net.Listener(nil), d.listeners...)
	d.mu.Unlock()
	addrs := make([]string, 0, len(lns))
	for _, ln := range lns {
		addrs = append(addrs, ln.Addr().String())
	}
	d.logState("listeners listed")
	return addrs
}

// CloseIdle closes the sessions idle for longer than maxIdle and returns how
// many it closed.
func (d *Dispatcher) CloseIdle(maxIdle time.Duration) int {
	var closed atomic.Int32
	var wg sync.WaitGroup
	d.sessions.Range(func(k, v any) bool {
		c, s := k.(net.Conn), v.(*session)
		wg.Add(1)
		go func() {
			if time.Since(s.last()) < maxIdle {
				return
			}
			closeQuietly(c)
			closed.Add(1)
			wg.Done() // HAZ waitgroup-done-path
		}()
		return true
	})
	wg.Wait()
	return int(closed.Load())
}
