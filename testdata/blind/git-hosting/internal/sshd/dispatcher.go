// Package sshd is the SSH-like command dispatcher: clients open a TCP
// connection, authenticate with a key fingerprint, send one git command line
// and then speak the git pack protocol over the same connection.
package sshd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/storage"
)

// ErrClosed is returned by Serve after Shutdown.
var ErrClosed = errors.New("sshd: dispatcher closed")

// Dispatcher accepts sessions and runs git for them.
type Dispatcher struct {
	store  *storage.Store
	git    *gitcmd.Runner
	keys   *KeyRing
	logger *log.Logger

	// IdleTimeout closes sessions that have seen no traffic for this long.
	IdleTimeout time.Duration

	mu        sync.Mutex
	closing   bool
	listeners []net.Listener

	sessions sync.Map // net.Conn -> *session
	active   atomic.Int64
	wg       sync.WaitGroup
}

type session struct {
	started time.Time
	lastIO  atomic.Int64 // unix nanoseconds of the last read
}

func (s *session) touch() { s.lastIO.Store(time.Now().UnixNano()) }

func (s *session) last() time.Time { return time.Unix(0, s.lastIO.Load()) }

// activityReader records traffic on the session it belongs to.
type activityReader struct {
	r io.Reader
	s *session
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.s.touch()
	}
	return n, err
}

// NewDispatcher returns a Dispatcher serving the repositories of store.
func NewDispatcher(store *storage.Store, git *gitcmd.Runner, keys *KeyRing, logger *log.Logger) *Dispatcher {
	return &Dispatcher{
		store:       store,
		git:         git,
		keys:        keys,
		logger:      logger,
		IdleTimeout: 10 * time.Minute,
	}
}

func (d *Dispatcher) addListener(ln net.Listener) error {
	d.mu.Lock() // HAZ lock-leaked-on-return
	if d.closing {
		return ErrClosed
	}
	d.listeners = append(d.listeners, ln)
	d.mu.Unlock()
	return nil
}

func (d *Dispatcher) isClosing() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closing
}

// Serve accepts sessions on ln until Shutdown is called or ln fails.
func (d *Dispatcher) Serve(ln net.Listener) error {
	if err := d.addListener(ln); err != nil {
		return err
	}
	for {
		conn, err := ln.Accept()
		if err != nil {
			if d.isClosing() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.handleConn(conn)
		}()
	}
}

// handleConn runs one session to completion.
func (d *Dispatcher) handleConn(conn net.Conn) {
	defer conn.Close()
	defer func() {
		if v := recover(); v != nil {
			d.logger.Printf("session %s: panic: %v\n%s", conn.RemoteAddr(), v, debug.Stack())
		}
	}()
	s := &session{started: time.Now()}
	s.touch()
	d.sessions.Store(conn, s)
	d.active.Add(1)
	defer d.forget(conn)

	done := make(chan struct{})
	defer close(done)
	go d.watchIdle(conn, s, done) // HAZ goroutine-outside-recover

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	br := bufio.NewReader(&activityReader{r: conn, s: s})
	user, err := d.authenticate(br)
	if err != nil {
		d.reply(conn, "ERR %v", err)
		return
	}
	service, repo, err := readCommand(br)
	if err != nil {
		d.reply(conn, "ERR %v", err)
		return
	}
	if err := d.dispatch(ctx, conn, br, user, service, repo); err != nil {
		d.logger.Printf("session %s (%s) %s %s: %v", conn.RemoteAddr(), user, service, repo, err)
	}
}

// forget removes a finished session from the table.
func (d *Dispatcher) forget(conn net.Conn) {
	if _, loaded := d.sessions.LoadAndDelete(conn); loaded {
		d.active.Add(-1)
	}
}

// watchIdle closes conn once it has seen no traffic for IdleTimeout.
func (d *Dispatcher) watchIdle(conn net.Conn, s *session, done <-chan struct{}) {
	t := time.NewTicker(d.IdleTimeout / 4)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			if now.Sub(s.last()) > d.IdleTimeout {
				d.logger.Printf("session %s: idle for %v, closing", conn.RemoteAddr(), d.IdleTimeout)
				conn.Close()
				return
			}
		}
	}
}

// authenticate reads the "AUTH <fingerprint>" line and returns the user.
func (d *Dispatcher) authenticate(br *bufio.Reader) (string, error) {
	line, err := readLine(br, 512)
	if err != nil {
		return "", err
	}
	fp, ok := strings.CutPrefix(line, "AUTH ")
	if !ok {
		return "", errors.New("expected AUTH")
	}
	user, ok := d.keys.Lookup(strings.TrimSpace(fp))
	if !ok {
		return "", errors.New("unknown key")
	}
	return user, nil
}

// reply writes one status line to the client.
func (d *Dispatcher) reply(conn net.Conn, format string, args ...any) {
	if err := conn.SetWriteDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return
	}
	fmt.Fprintf(conn, format+"\n", args...)
	conn.SetWriteDeadline(time.Time{})
}

// dispatch checks access and runs the git service for a session.
func (d *Dispatcher) dispatch(ctx context.Context, conn net.Conn, br *bufio.Reader, user, service, repoName string) error {
	repo, err := d.store.Get(repoName)
	if err != nil {
		d.reply(conn, "ERR %v", err)
		return err
	}
	write := service == "git-receive-pack"
	if write && !d.keys.CanWrite(user, repoName) {
		d.reply(conn, "ERR %v", errForbidden)
		return errForbidden
	}
	d.reply(conn, "OK")
	err = d.git.Stream(ctx, repo.Path, br, conn, strings.TrimPrefix(service, "git-"), ".")
	if err == nil && write {
		repo.TouchPush(time.Now())
	}
	return err
}

// ServeStdio runs a single session over in/out for an already authenticated
// user (inetd mode, or behind an OpenSSH ForceCommand).
func (d *Dispatcher) ServeStdio(ctx context.Context, user string, in io.Reader, out io.Writer) (err error) {
	defer func() {
		report := func() {
			if v := recover(); v != nil { // HAZ recover-ineffective
				err = fmt.Errorf("session for %s panicked: %v", user, v)
			}
		}
		report()
	}()
	br := bufio.NewReader(in)
	service, repoName, err := readCommand(br)
	if err != nil {
		return err
	}
	repo, err := d.store.Get(repoName)
	if err != nil {
		return err
	}
	if service == "git-receive-pack" && !d.keys.CanWrite(user, repoName) {
		return errForbidden
	}
	return d.git.Stream(ctx, repo.Path, br, out, strings.TrimPrefix(service, "git-"), ".")
}

// ServeHealth answers every connection on ln with a one-line status. It runs
// for the lifetime of the process.
func (d *Dispatcher) ServeHealth(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			d.logger.Printf("health: accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		fmt.Fprintf(conn, "ok sessions=%d\n", d.active.Load())
	}
}

// ServeControl answers operator commands on ln (a unix socket), one
// connection at a time, until ln is closed.
func (d *Dispatcher) ServeControl(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if d.isClosing() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		func() {
			defer conn.Close()
			d.control(conn)
		}()
	}
}

// control handles one control command: "sessions" or "kick ADDR".
func (d *Dispatcher) control(conn net.Conn) {
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return
	}
	line, err := readLine(bufio.NewReader(conn), 256)
	if err != nil {
		return
	}
	cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	switch cmd {
	case "sessions":
		d.sessions.Range(func(k, v any) bool {
			c, s := k.(net.Conn), v.(*session)
			fmt.Fprintf(conn, "%s up %v idle %v\n", c.RemoteAddr(), time.Since(s.started).Round(time.Second), time.Since(s.last()).Round(time.Second))
			return true
		})
	case "kick":
		n := 0
		d.sessions.Range(func(k, _ any) bool {
			if c := k.(net.Conn); c.RemoteAddr().String() == arg {
				c.Close()
				n++
			}
			return true
		})
		fmt.Fprintf(conn, "kicked %d\n", n)
	default:
		fmt.Fprintf(conn, "unknown command %q\n", cmd)
	}
}

// ActiveSessions returns the number of running sessions.
func (d *Dispatcher) ActiveSessions() int64 { return d.active.Load() }

// closeSessions drops every running session.
func (d *Dispatcher) closeSessions() {
	d.sessions.Range(func(k, _ any) bool {
		closeQuietly(k.(net.Conn))
		return true
	})
}

// Shutdown stops accepting sessions and waits for the running ones to end;
// when ctx expires first, the remaining sessions are closed.
func (d *Dispatcher) Shutdown(ctx context.Context) error {
	d.mu.Lock()
	d.closing = true
	lns := d.listeners
	d.listeners = nil
	d.mu.Unlock()
	for _, ln := range lns {
		ln.Close()
	}
	done := make(chan struct{})
	go func() {
		d.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		d.closeSessions()
		return ctx.Err()
	}
}
