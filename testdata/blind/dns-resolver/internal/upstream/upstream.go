// Package upstream talks to the recursive servers the resolver forwards to:
// single exchanges over UDP with TCP fallback, pooled TCP connections, and
// health checking.
package upstream

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

// ErrIDMismatch is returned when a reply does not match the query.
var ErrIDMismatch = errors.New("upstream: reply ID does not match query")

// Upstream is one forwarding target.
type Upstream struct {
	Addr    string
	Timeout time.Duration

	healthy  atomic.Bool
	disabled atomic.Bool
	failures atomic.Int32
	rttNs    atomic.Int64
}

// New returns an upstream that starts out healthy.
func New(addr string, timeout time.Duration) *Upstream {
	u := &Upstream{Addr: addr, Timeout: timeout}
	u.healthy.Store(true)
	return u
}

// Healthy reports whether recent exchanges succeeded.
func (u *Upstream) Healthy() bool { return u.healthy.Load() && !u.disabled.Load() }

// Disabled reports whether an operator took the upstream out of rotation.
func (u *Upstream) Disabled() bool { return u.disabled.Load() }

// SetDisabled takes the upstream out of (or back into) rotation.
func (u *Upstream) SetDisabled(v bool) { u.disabled.Store(v) }

// RTT returns the smoothed round-trip time.
func (u *Upstream) RTT() time.Duration { return time.Duration(u.rttNs.Load()) }

func (u *Upstream) record(err error, rtt time.Duration) {
	if err != nil {
		if u.failures.Add(1) >= 3 {
			u.healthy.Store(false)
		}
		return
	}
	u.failures.Store(0)
	u.healthy.Store(true)
	old := u.rttNs.Load()
	if old == 0 {
		u.rttNs.Store(int64(rtt))
		return
	}
	u.rttNs.Store((7*old + int64(rtt)) / 8)
}

func deadlineFrom(ctx context.Context, d time.Duration) time.Time {
	dl := time.Now().Add(d)
	if cdl, ok := ctx.Deadline(); ok && cdl.Before(dl) {
		return cdl
	}
	return dl
}

// Exchange sends q over UDP and retries over TCP when the reply is truncated.
func (u *Upstream) Exchange(ctx context.Context, q *dnsmsg.Msg) (*dnsmsg.Msg, error) {
	d := net.Dialer{Timeout: u.Timeout}
	conn, err := d.DialContext(ctx, "udp", u.Addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	deadline := deadlineFrom(ctx, u.Timeout)
	start := time.Now()
	resp, err := exchangeUDP(conn, q, deadline)
	if err == nil && resp.Truncated {
		// The answer did not fit in a datagram: ask again over TCP.
		conn, err = d.DialContext(ctx, "tcp", u.Addr)
		if err != nil {
			u.record(err, 0)
			return nil, err
		}
		resp, err = exchangeTCP(conn, q, deadline)
	}
	u.record(err, time.Since(start))
	return resp, err
}

func exchangeUDP(conn net.Conn, q *dnsmsg.Msg, deadline time.Time) (*dnsmsg.Msg, error) {
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	b, err := q.Pack()
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write(b); err != nil {
		return nil, err
	}
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, err
		}
		resp, err := dnsmsg.Unpack(buf[:n])
		if err != nil || resp.ID != q.ID {
			// Late or spoofed datagram: keep waiting until the deadline.
			continue
		}
		return resp, nil
	}
}

func exchangeTCP(conn net.Conn, q *dnsmsg.Msg, deadline time.Time) (*dnsmsg.Msg, error) {
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	b, err := q.AppendPack([]byte{0, 0})
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint16(b, uint16(len(b)-2))
	if _, err := conn.Write(b); err != nil {
		return nil, err
	}
	var lenBuf [2]byte
	if _, err := io.ReadFull(conn, lenBuf[:]); err != nil {
		return nil, err
	}
	buf := make([]byte, binary.BigEndian.Uint16(lenBuf[:]))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return nil, err
	}
	resp, err := dnsmsg.Unpack(buf)
	if err != nil {
		return nil, err
	}
	if resp.ID != q.ID {
		return nil, ErrIDMismatch
	}
	return resp, nil
}

// Probe checks that the upstream answers a priming query for the root NS set
// over TCP.
func (u *Upstream) Probe(ctx context.Context) error {
	d := net.Dialer{Timeout: u.Timeout}
	conn, err := d.DialContext(ctx, "tcp", u.Addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("probe %s: %w", u.Addr, err)
	}
	q := dnsmsg.NewQuery(uint16(rand.N(1<<16)), ".", dnsmsg.TypeNS)
	start := time.Now()
	_, err = exchangeTCP(conn, q, deadlineFrom(ctx, u.Timeout))
	u.record(err, time.Since(start))
	return err
}
