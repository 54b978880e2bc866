// Package upstream talks to the recursive resolvers the proxy forwards to,
// tracks their health and fails over between them.
package upstream

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// Errors returned by upstreams and pools.
var (
	ErrNoUpstreams = errors.New("upstream: no upstreams configured")
	errIDMismatch  = errors.New("upstream: response ID does not match query")
)

const maxFailures = 3

// Upstream is one recursive resolver reachable over UDP or TCP.
type Upstream struct {
	Addr    string
	Network string
	Timeout time.Duration

	dialer net.Dialer

	mu        sync.Mutex
	healthy   bool
	failures  int
	lastRTT   time.Duration
	lastCheck time.Time
}

// Status is a point-in-time view of an upstream's health.
type Status struct {
	Addr      string
	Healthy   bool
	Failures  int
	RTT       time.Duration
	LastCheck time.Time
}

// New returns an upstream that starts out healthy.
func New(addr, network string, timeout time.Duration) *Upstream {
	if network == "" {
		network = "udp"
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "53")
	}
	return &Upstream{Addr: addr, Network: network, Timeout: timeout, healthy: true}
}

func (u *Upstream) String() string { return u.Network + "://" + u.Addr }

// Exchange sends q and returns the answer, retrying over TCP when the UDP
// answer is truncated.
func (u *Upstream) Exchange(ctx context.Context, q []byte) ([]byte, error) {
	if u.Network == "tcp" {
		return u.exchangeTCP(ctx, q)
	}
	resp, err := u.exchangeUDP(ctx, q)
	if err != nil {
		return nil, err
	}
	if h, herr := dnsmsg.ParseHeader(resp); herr == nil && h.Truncated() {
		return u.exchangeTCP(ctx, q)
	}
	return resp, nil
}

func (u *Upstream) exchangeUDP(ctx context.Context, q []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, u.Timeout)
	defer cancel()
	conn, err := u.dialer.DialContext(ctx, "udp", u.Addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return nil, err
		}
	}
	if _, err := conn.Write(q); err != nil {
		return nil, err
	}
	buf := make([]byte, 65535)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, err
		}
		// Ignore stray datagrams with the wrong ID and keep waiting until
		// the deadline: they are either late answers or spoofing attempts.
		if n >= dnsmsg.HeaderLen && dnsmsg.ID(buf[:n]) == dnsmsg.ID(q) {
			return append([]byte(nil), buf[:n]...), nil
		}
	}
}

func (u *Upstream) exchangeTCP(ctx context.Context, q []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, u.Timeout)
	defer cancel()
	conn, err := u.dialer.DialContext(ctx, "tcp", u.Addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", u.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	frame := make([]byte, 2+len(q))
	binary.BigEndian.PutUint16(frame, uint16(len(q)))
	copy(frame[2:], q)
	if _, err := conn.Write(frame); err != nil {
		return nil, err
	}
	var lenBuf [2]byte
	if _, err := io.ReadFull(conn, lenBuf[:]); err != nil {
		return nil, err
	}
	resp := make([]byte, binary.BigEndian.Uint16(lenBuf[:]))
	if _, err := io.ReadFull(conn, resp); err != nil {
		return nil, err
	}
	if dnsmsg.ID(resp) != dnsmsg.ID(q) {
		return nil, errIDMismatch
	}
	return resp, nil
}

// ping checks that the upstream accepts a TCP connection and answers a
// root NS query.
func (u *Upstream) ping(ctx context.Context) error {
	q, err := dnsmsg.NewQuery(uint16(time.Now().UnixNano()), ".", dnsmsg.TypeNS)
	if err != nil {
		return err
	}
	conn, err := u.dialer.DialContext(ctx, "tcp", u.Addr)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	frame := binary.BigEndian.AppendUint16(nil, uint16(len(q)))
	if _, err = conn.Write(append(frame, q...)); err != nil {
		return err
	}
	var lenBuf [2]byte
	_, err = io.ReadFull(conn, lenBuf[:])
	return err
}

// Healthy reports whether the upstream is currently considered usable.
func (u *Upstream) Healthy() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.healthy
}

// markResult records the outcome of a query or probe.
func (u *Upstream) markResult(err error, rtt time.Duration) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.lastCheck = time.Now()
	if err != nil {
		u.failures++
		if u.failures >= maxFailures {
			u.healthy = false
		}
		return
	}
	u.failures = 0
	u.healthy = true
	if rtt > 0 {
		u.lastRTT = rtt
	}
}

// due reports whether the upstream has not been checked for interval.
func (u *Upstream) due(interval time.Duration) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return time.Since(u.lastCheck) >= interval
}

// Status returns a snapshot of the upstream's health.
func (u *Upstream) Status() Status {
	u.mu.Lock()
	defer u.mu.Unlock()
	return Status{Addr: u.Addr, Healthy: u.healthy, Failures: u.failures, RTT: u.lastRTT, LastCheck: u.lastCheck}
}

// keepWarm pings a TCP upstream every interval so that middleboxes keep
// its flow state and the first real query does not pay for a cold path.
func (u *Upstream) keepWarm(interval time.Duration) {
	for {
		time.Sleep(interval)
		conn, err := u.dialer.Dial("tcp", u.Addr)
		if err != nil {
			u.markResult(err, 0)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		u.markResult(nil, 0)
	}
}
