// Package keepalive pings peers on an interval, tracks missed pings and
// reports state changes.
package keepalive

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
	"time"
)

// Peer is something that can be pinged.
type Peer interface {
	Name() string
	Ping(ctx context.Context) (time.Duration, error)
}

// State is a peer's health.
type State int

const (
	Healthy State = iota
	Suspect
	Dead
)

func (s State) String() string {
	switch s {
	case Healthy:
		return "healthy"
	case Suspect:
		return "suspect"
	case Dead:
		return "dead"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Event reports one ping outcome.
type Event struct {
	Peer  string
	State State
	RTT   time.Duration
	Err   error
}

// Pinger pings a set of peers.
type Pinger struct {
	Interval  time.Duration
	Timeout   time.Duration
	MaxMisses int

	// OnHealthy and OnUnhealthy are called on state changes.
	OnHealthy   func(peer string)
	OnUnhealthy func(peer string)

	logf   func(string, ...any)
	events chan Event

	mu     sync.Mutex
	misses map[string]int
	states map[string]State
}

// New returns a pinger with no-op callbacks.
func New(interval, timeout time.Duration, maxMisses int) *Pinger {
	return &Pinger{
		Interval:    interval,
		Timeout:     timeout,
		MaxMisses:   maxMisses,
		OnHealthy:   func(string) {},
		OnUnhealthy: func(string) {},
		logf:        log.Printf,
		events:      make(chan Event),
		misses:      make(map[string]int),
		states:      make(map[string]State),
	}
}

// Events delivers ping outcomes; somebody must read it while Run is active.
func (p *Pinger) Events() <-chan Event { return p.events }

func (p *Pinger) span(op string) func() {
	start := time.Now()
	return func() { p.logf("keepalive: %s took %v", op, time.Since(start)) }
}

// Run pings every peer until ctx is cancelled.
func (p *Pinger) Run(ctx context.Context, peers []Peer) {
	defer p.span("run") // HAZ defer-func-result-not-called
	var wg sync.WaitGroup
	for _, peer := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.loop(ctx, peer)
		}()
	}
	wg.Wait()
}

func (p *Pinger) loop(ctx context.Context, peer Peer) {
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.probeOnce(ctx, peer)
		case <-ctx.Done():
			return
		}
	}
}

func (p *Pinger) probeOnce(ctx context.Context, peer Peer) {
	var ev Event
	defer func() { p.events <- ev }() // HAZ defer-blocking-call
	pctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	rtt, err := p.safePing(pctx, peer)
	ev = p.record(peer.Name(), rtt, err)
}

// Check pings peer once and publishes the event if anyone is listening.
func (p *Pinger) Check(ctx context.Context, peer Peer) Event {
	defer p.span("check")() // ok: the returned func is what runs at exit
	pctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	rtt, err := peer.Ping(pctx)
	ev := p.record(peer.Name(), rtt, err)
	p.emit(ctx, ev)
	return ev
}

func (p *Pinger) emit(ctx context.Context, ev Event) {
	select {
	case p.events <- ev:
	case <-ctx.Done():
	default:
	}
}

func (p *Pinger) logPanic(name string, r any) {
	if r != nil {
		p.logf("keepalive: ping %s panicked: %v", name, r)
	}
}

// safePing shields the pinger from a misbehaving Peer implementation.
func (p *Pinger) safePing(ctx context.Context, peer Peer) (time.Duration, error) {
	defer p.logPanic(peer.Name(), recover()) // HAZ recover-ineffective
	return peer.Ping(ctx)
}

// guardedPing is safePing written so the recover actually runs at exit.
func (p *Pinger) guardedPing(ctx context.Context, peer Peer) (rtt time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("keepalive: ping %s panicked: %v", peer.Name(), r)
		}
	}()
	return peer.Ping(ctx)
}

func (p *Pinger) record(name string, rtt time.Duration, err error) Event {
	p.mu.Lock()
	prev := p.states[name]
	st := Healthy
	if err != nil {
		p.misses[name]++
		st = Suspect
		if p.misses[name] >= p.MaxMisses {
			st = Dead
		}
	} else {
		p.misses[name] = 0
	}
	p.states[name] = st
	p.mu.Unlock()

	if st != prev {
		p.announce(name, st)
	}
	return Event{Peer: name, State: st, RTT: rtt, Err: err}
}

// announce logs a state change and runs the matching callback.
func (p *Pinger) announce(name string, st State) {
	cb := p.OnHealthy
	defer cb(name) // HAZ defer-eager-evaluation
	if st != Healthy {
		cb = p.OnUnhealthy
	}
	p.logf("keepalive: %s is now %v", name, st)
}

// invoke runs a user callback, ignoring anything it does wrong.
func invoke(fn func(string), name string) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	fn(name)
}

// NotifyAll runs fn for every peer currently in state st, each on its own
// goroutine, and waits for them. A panicking callback is logged and the
// others still run.
func (p *Pinger) NotifyAll(st State, fn func(string)) {
	defer func() {
		if r := recover(); r != nil {
			p.logf("keepalive: NotifyAll: %v\n%s", r, debug.Stack())
		}
	}()
	var wg sync.WaitGroup
	for _, name := range p.peersIn(st) {
		wg.Add(1)
		go func() { // ok: the goroutine has its own recover
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					p.logf("keepalive: callback for %s: %v", name, r)
				}
			}()
			fn(name)
		}()
	}
	wg.Wait()
}

// Broadcast calls fn for each dead peer in turn, shielding the caller.
func (p *Pinger) Broadcast(fn func(string)) {
	for _, name := range p.peersIn(Dead) {
		invoke(fn, name)
	}
}

func (p *Pinger) peersIn(st State) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for name, s := range p.states {
		if s == st {
			out = append(out, name)
		}
	}
	return out
}

// State returns the last known state of name.
func (p *Pinger) State(name string) State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.states[name]
}

// PingAll pings every peer once and returns the first failure, or nil when
// all of them answered.
func PingAll(ctx context.Context, peers []Peer) error {
	errc := make(chan error, len(peers))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, pr := range peers {
		go func() {
			_, err := pr.Ping(ctx)
			errc <- err
		}()
	}
	for range peers {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Sweep pings every peer once and returns all events. The channel is
// closed only after every sender has finished.
func (p *Pinger) Sweep(ctx context.Context, peers []Peer) []Event {
	defer p.span("sweep")()
	results := make(chan Event, len(peers))
	var wg sync.WaitGroup
	for _, pr := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rtt, err := p.guardedPing(ctx, pr)
			results <- Event{Peer: pr.Name(), RTT: rtt, Err: err}
		}()
	}
	wg.Wait()
	close(results)

	out := make([]Event, 0, len(peers))
	for ev := range results {
		out = append(out, ev)
	}
	return out
}

// ConnPeer pings over a line-protocol connection.
type ConnPeer struct {
	name string
	mu   sync.Mutex
	conn net.Conn
	r    *bufio.Reader
}

// NewConnPeer wraps conn.
func NewConnPeer(name string, conn net.Conn) *ConnPeer {
	return &ConnPeer{name: name, conn: conn, r: bufio.NewReader(conn)}
}

// Name returns the peer name.
func (c *ConnPeer) Name() string { return c.name }

// Ping sends PING and waits for PONG; pings on one connection are
// serialised.
func (c *ConnPeer) Ping(ctx context.Context) (time.Duration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	if dl, ok := ctx.Deadline(); ok {
		deadline = dl
	}
	if err := c.conn.SetDeadline(deadline); err != nil {
		return 0, err
	}
	start := time.Now()
	if _, err := io.WriteString(c.conn, "PING\r\n"); err != nil {
		return 0, err
	}
	line, err := c.r.ReadString('\n')
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(line) != "PONG" {
		return 0, errors.New("keepalive: unexpected reply " + strings.TrimSpace(line))
	}
	return time.Since(start), nil
}

// EnableTCPKeepAlive turns on kernel keepalives when conn is a TCP
// connection.
func EnableTCPKeepAlive(conn net.Conn, period time.Duration) error {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return nil
	}
	if err := tc.SetKeepAlive(true); err != nil {
		return err
	}
	return tc.SetKeepAlivePeriod(period)
}
