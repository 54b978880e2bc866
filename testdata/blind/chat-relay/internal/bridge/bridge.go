// Package bridge links this relay to peer relays so that a room can span
// several servers. Peers exchange plain protocol lines over TCP.
package bridge

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/chatrelay/internal/protocol"
)

// Bridge manages inbound and outbound peer links.
type Bridge struct {
	self    string
	dialer  net.Dialer
	backoff time.Duration
	inbound func(peer, line string)

	// OnLinkDown, if set, is called after an outbound link fails.
	OnLinkDown func(addr string)

	mu    sync.Mutex
	links map[string]*Link

	active int64
}

// New returns a bridge for the relay named self. inbound is called for
// every line received from a peer.
func New(self string, backoff time.Duration, inbound func(peer, line string)) *Bridge {
	return &Bridge{
		self:    self,
		dialer:  net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second},
		backoff: backoff,
		inbound: inbound,
		links:   make(map[string]*Link),
	}
}

// Forward queues line on every outbound link, skipping links whose queue
// is full.
func (b *Bridge) Forward(line string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, l := range b.links {
		if l.Send(line) {
			n++
		}
	}
	return n
}

func (b *Bridge) setLink(addr string, l *Link) {
	b.mu.Lock()
	if old, ok := b.links[addr]; ok {
		old.Close()
	}
	b.links[addr] = l
	b.mu.Unlock()
}

func (b *Bridge) dropLink(addr string, l *Link) {
	b.mu.Lock()
	if b.links[addr] == l {
		delete(b.links, addr)
	}
	b.mu.Unlock()
}

// Probe checks that a peer answers a PING.
func (b *Bridge) Probe(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("bridge: probe %s: %w", addr, err)
	}
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if err := protocol.WriteLine(conn, "PING bridge-probe"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "PONG") {
		return fmt.Errorf("bridge: probe %s: unexpected reply %q", addr, strings.TrimSpace(line))
	}
	return nil
}

// ProbeAll probes every peer concurrently.
func (b *Bridge) ProbeAll(addrs []string, timeout time.Duration) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(addrs))
	)
	for _, a := range addrs {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			if addr == b.self {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			err := b.Probe(addr, timeout)
			mu.Lock()
			out[addr] = err
			mu.Unlock()
		}(a)
	}
	wg.Wait()
	return out
}

// AcceptPeers serves inbound links from peer relays on ln.
func (b *Bridge) AcceptPeers(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("bridge: accept: %v", err)
			time.Sleep(b.backoff)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go b.servePeer(conn)
	}
}

// servePeer reads lines from one inbound peer.
func (b *Bridge) servePeer(conn net.Conn) {
	peer := peerName(conn.RemoteAddr().String(), time.Second)
	atomic.AddInt64(&b.active, 1)
	defer atomic.AddInt64(&b.active, -1)
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		b.deliverInbound(peer, sc.Text())
	}
	if err := sc.Err(); err != nil {
		log.Printf("bridge: peer %s: %v", peer, err)
	}
}

// deliverInbound hands one peer line to the relay; a malformed line from a
// peer must not take the link down.
func (b *Bridge) deliverInbound(peer, line string) {
	defer recover() // HAZ recover-ineffective
	b.inbound(peer, line)
}

// peerName resolves addr to a host name for logs, waiting at most timeout.
func peerName(addr string, timeout time.Duration) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	names := make(chan string)
	go func() {
		name := addr
		if ns, err := net.DefaultResolver.LookupAddr(ctx, host); err == nil && len(ns) > 0 {
			name = strings.TrimSuffix(ns[0], ".")
		}
		names <- name // HAZ goroutine-blocked-send
	}()
	select {
	case n := <-names:
		return n
	case <-ctx.Done():
		return addr
	}
}

// handshake introduces this relay to a freshly dialled peer.
func (b *Bridge) handshake(conn net.Conn) error {
	if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := conn.SetDeadline(time.Time{}); err != nil {
			return fmt.Errorf("bridge: clear deadline: %w", err)
		}
		return nil
	}()
	if err := protocol.WriteLine(conn, "NICK relay-"+b.self); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "OK") {
		return fmt.Errorf("bridge: handshake refused: %s", strings.TrimSpace(line))
	}
	return nil
}

// runOnce dials addr and pumps the outbound link until it fails. The
// deferred pause keeps a flapping peer from being redialled in a tight loop.
func (b *Bridge) runOnce(ctx context.Context, addr string) error {
	defer time.Sleep(b.backoff) // HAZ defer-blocking-call
	conn, err := b.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	if err := b.handshake(conn); err != nil {
		conn.Close()
		return err
	}
	b.serveLink(addr, &Link{addr: addr, conn: conn, out: make(chan string, 256)})
	return nil
}

// serveLink publishes l as the link to addr while it is up.
func (b *Bridge) serveLink(addr string, l *Link) {
	b.setLink(addr, l)
	defer b.OnLinkDown(addr) // HAZ defer-nil-func
	l.pump()
	b.dropLink(addr, l)
}

// Run starts a maintainer for each peer. A panic while setting up is
// logged instead of taking the relay down.
func (b *Bridge) Run(ctx context.Context, peers []string) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("bridge: setup: %v", r)
		}
	}()
	for _, p := range peers {
		if p == b.self {
			continue
		}
		go b.Maintain(ctx, p) // HAZ goroutine-outside-recover
	}
}

// Notify sends line to each peer over a short-lived connection; used for
// operator notices while links are down.
func (b *Bridge) Notify(ctx context.Context, addrs []string, line string) int {
	sent := 0
	for _, addr := range addrs {
		conn, err := b.dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			log.Printf("bridge: notify %s: %v", addr, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := protocol.WriteLine(conn, line); err != nil {
			log.Printf("bridge: notify %s: %v", addr, err)
			continue
		}
		sent++
	}
	return sent
}

// Maintain keeps an outbound link to addr until ctx is done.
func (b *Bridge) Maintain(ctx context.Context, addr string) {
	for ctx.Err() == nil {
		if err := b.runOnce(ctx, addr); err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("bridge: link %s: %v", addr, err)
		}
	}
}

// DialFirst dials all addrs in parallel and returns the first connection
// that succeeds.
func (b *Bridge) DialFirst(ctx context.Context, addrs []string) (net.Conn, error) {
	conns := make(chan net.Conn)
	for _, a := range addrs {
		go func(addr string) {
			c, err := b.dialer.DialContext(ctx, "tcp", addr)
			if err != nil {
				return
			}
			conns <- c // HAZ goroutine-blocked-send
		}(a)
	}
	select {
	case c := <-conns:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Mirror joins room on the peer at addr and feeds its traffic to the
// inbound callback until ctx is done or the peer hangs up.
func (b *Bridge) Mirror(ctx context.Context, addr, room string) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	conn, err := b.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	cleanup = func() { conn.Close() }
	if err := b.handshake(conn); err != nil {
		return err
	}
	if err := protocol.WriteLine(conn, "JOIN "+room); err != nil {
		return err
	}
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.deliverInbound(addr, sc.Text())
	}
	return sc.Err()
}
