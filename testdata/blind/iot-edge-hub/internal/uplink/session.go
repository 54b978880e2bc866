package uplink

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// session is one handshaken connection to the broker.
type session struct {
	conn net.Conn
	br   *bufio.Reader
	id   string
}

// openSession dials addr and performs the CONNECT/CONNACK handshake.
func openSession(ctx context.Context, dial Dialer, addr, clientID string) (*session, error) {
	conn, err := dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	s := &session{conn: conn, br: bufio.NewReader(conn), id: clientID}
	if err := s.handshake(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("uplink: handshake with %s: %w", addr, err)
	}
	conn.SetDeadline(time.Time{})
	return s, nil
}

func (s *session) handshake() error {
	if _, err := fmt.Fprintf(s.conn, "CONNECT %s\n", s.id); err != nil {
		return err
	}
	line, err := s.br.ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "CONNACK" {
		return fmt.Errorf("unexpected reply %q", strings.TrimSpace(line))
	}
	return nil
}

// ping sends PING and waits for PONG.
func (s *session) ping() error {
	if err := s.conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(s.conn, "PING\n"); err != nil {
		return err
	}
	line, err := s.br.ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "PONG" {
		return fmt.Errorf("unexpected reply %q", strings.TrimSpace(line))
	}
	return nil
}

// Close ends the session.
func (s *session) Close() error {
	return s.conn.Close()
}

// Probe opens a throw-away session to check that the broker answers; the
// config UI offers it as "test connection".
func (c *Client) Probe(ctx context.Context) error {
	s, err := openSession(ctx, c.dial, c.addr, c.id+"-probe")
	defer s.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("probe %s: %w", c.addr, err)
	}
	return s.ping()
}

// ProbeAddr is Probe against another broker address, used when the operator
// edits the broker field.
func (c *Client) ProbeAddr(ctx context.Context, addr string) error {
	s, err := openSession(ctx, c.dial, addr, c.id+"-probe")
	if err != nil {
		return fmt.Errorf("probe %s: %w", addr, err)
	}
	defer s.Close()
	return s.ping()
}

// Fastest dials every broker of a cluster concurrently and keeps the first
// session that comes up.
func Fastest(ctx context.Context, dial Dialer, addrs []string, clientID string) (net.Conn, string, error) {
	type res struct {
		s    *session
		addr string
		err  error
	}
	ch := make(chan res, len(addrs))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, a := range addrs {
		go func(a string) {
			s, err := openSession(ctx, dial, a, clientID)
			ch <- res{s: s, addr: a, err: err}
		}(a)
	}
	var lastErr error
	for range addrs {
		r := <-ch
		if r.err == nil {
			return r.s.conn, r.addr, nil
		}
		lastErr = r.err
	}
	return nil, "", lastErr
}

// FastestAll is Fastest for the bench tool: it waits for every dial, keeps the
// first success and closes the other sessions.
func FastestAll(ctx context.Context, dial Dialer, addrs []string, clientID string) (net.Conn, string, error) {
	type res struct {
		s    *session
		addr string
		err  error
	}
	ch := make(chan res, len(addrs))
	for _, a := range addrs {
		go func(a string) {
			s, err := openSession(ctx, dial, a, clientID)
			ch <- res{s: s, addr: a, err: err}
		}(a)
	}
	var (
		best    *res
		lastErr error
	)
	for range addrs {
		r := <-ch
		switch {
		case r.err != nil:
			lastErr = r.err
		case best == nil:
			best = &r
		default:
			r.s.Close()
		}
	}
	if best == nil {
		return nil, "", lastErr
	}
	return best.s.conn, best.addr, nil
}
