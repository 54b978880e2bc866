package relay

import (
	"bufio"
	"fmt"
	"net"
	"time"
)

type probeSession struct {
	conn   net.Conn
	reader *bufio.Reader
}

// Prober measures round trips to relay peers.
type Prober struct {
	timeout time.Duration
}

// NewProber returns a prober with the given dial timeout.
func NewProber(timeout time.Duration) *Prober { return &Prober{timeout: timeout} }

func (p *Prober) open(addr string) (*probeSession, error) {
	conn, err := net.DialTimeout("tcp", addr, p.timeout)
	if err != nil {
		return nil, err
	}
	return &probeSession{conn: conn, reader: bufio.NewReader(conn)}, nil
}

// Probe sends PING and waits for PONG.
func (p *Prober) Probe(addr string) (time.Duration, error) {
	sess, err := p.open(addr)
	defer sess.conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return p.roundTrip(sess)
}

// ProbeChecked is Probe with the error checked first.
func (p *Prober) ProbeChecked(addr string) (time.Duration, error) {
	sess, err := p.open(addr)
	if err != nil {
		return 0, err
	}
	defer sess.conn.Close()
	return p.roundTrip(sess)
}

func (p *Prober) roundTrip(sess *probeSession) (time.Duration, error) {
	start := time.Now()
	if err := sess.conn.SetDeadline(start.Add(p.timeout)); err != nil {
		return 0, err
	}
	if _, err := fmt.Fprint(sess.conn, "PING\n"); err != nil {
		return 0, err
	}
	line, err := sess.reader.ReadString('\n')
	if err != nil {
		return 0, err
	}
	if line != "PONG\n" {
		return 0, fmt.Errorf("probe: unexpected %q", line)
	}
	return time.Since(start), nil
}
