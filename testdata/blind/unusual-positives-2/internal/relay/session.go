// Package relay forwards framed messages between TCP peers.
package relay

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"time"
)

// Message is one framed payload.
type Message struct {
	Topic string
	Body  []byte
}

// framedWriter writes length-prefixed frames through a buffer.
type framedWriter struct {
	*bufio.Writer
}

func (fw framedWriter) writeFrame(m Message) error {
	if _, err := fmt.Fprintf(fw, "%s %d\n", m.Topic, len(m.Body)); err != nil {
		return err
	}
	_, err := fw.Write(m.Body)
	return err
}

// Session is one connected peer.
type Session struct {
	id    string
	proto string
	log   *log.Logger
}

// NewSession returns a session for a peer speaking proto.
func NewSession(id, proto string, l *log.Logger) *Session {
	return &Session{id: id, proto: proto, log: l}
}

// SendBatch writes msgs to conn as frames.
func (s *Session) SendBatch(conn net.Conn, msgs []Message) error {
	fw := framedWriter{bufio.NewWriter(conn)}
	defer fw.Flush() // HAZ defer-close-unchecked-write
	for _, m := range msgs {
		if err := fw.writeFrame(m); err != nil {
			return err
		}
	}
	return nil
}

// SendBatchChecked is SendBatch with the final flush checked.
func (s *Session) SendBatchChecked(conn net.Conn, msgs []Message) error {
	fw := framedWriter{bufio.NewWriter(conn)}
	for _, m := range msgs {
		if err := fw.writeFrame(m); err != nil {
			return err
		}
	}
	return fw.Flush()
}

var (
	byeV1 = []byte("BYE\n")
	byeV2 = []byte("GOODBYE 2\n")
)

// Serve reads frames from conn until EOF and hands them to fn.
func (s *Session) Serve(conn net.Conn, fn func(Message)) error {
	switch s.proto {
	case "v2":
		defer conn.Write(byeV2) // HAZ defer-blocking-call
	case "v1":
		fmt.Fprintf(conn, "HELLO %s\n", s.id)
	}
	br := bufio.NewReader(conn)
	for {
		var m Message
		var n int
		if _, err := fmt.Fscanf(br, "%s %d\n", &m.Topic, &n); err != nil {
			return err
		}
		m.Body = make([]byte, n)
		if _, err := br.Read(m.Body); err != nil {
			return err
		}
		fn(m)
	}
}

// Hangup says goodbye within a short write deadline and closes conn.
func (s *Session) Hangup(conn net.Conn) error {
	if err := conn.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
		return err
	}
	msg := byeV1
	if s.proto == "v2" {
		msg = byeV2
	}
	_, werr := conn.Write(msg)
	return errors.Join(werr, conn.Close())
}

// Courier delivers payloads to peers, failing over between addresses.
type Courier struct {
	timeout time.Duration
}

func (c *Courier) dial(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, c.timeout)
}

// Deliver sends one payload through a buffered writer.
func (c *Courier) Deliver(addr string, payload []byte) (err error) {
	conn, err := c.dial(addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer func() { // HAZ defer-order-inverted
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	defer conn.Close()
	_, err = bw.Write(payload)
	return err
}

// DeliverFlushed is Deliver with the connection closed after the flush.
func (c *Courier) DeliverFlushed(addr string, payload []byte) (err error) {
	conn, err := c.dial(addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	defer func() {
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	_, err = bw.Write(payload)
	return err
}

// Failover writes msg to the primary and, if that fails, to the backup.
func (c *Courier) Failover(primary, backup string, msg []byte) error {
	conn, err := c.dial(primary)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	if _, err = conn.Write(msg); err != nil {
		conn, err = c.dial(backup)
		if err != nil {
			return err
		}
		_, err = conn.Write(msg)
	}
	return err
}

// FailoverClosed closes whichever connection is current at exit.
func (c *Courier) FailoverClosed(primary, backup string, msg []byte) error {
	conn, err := c.dial(primary)
	if err != nil {
		return err
	}
	defer func() { conn.Close() }()
	if _, err = conn.Write(msg); err != nil {
		conn.Close()
		conn, err = c.dial(backup)
		if err != nil {
			return err
		}
		_, err = conn.Write(msg)
	}
	return err
}

// Relay accepts handed-over connections and tracks them.
type Relay struct {
	accepted chan net.Conn
	log      *log.Logger
	active   map[string]net.Conn
}

// NewRelay returns a relay with an accept queue of size n.
func NewRelay(n int, l *log.Logger) *Relay {
	return &Relay{accepted: make(chan net.Conn, n), log: l, active: make(map[string]net.Conn)}
}

func (r *Relay) track(conn net.Conn) {
	r.active[conn.RemoteAddr().String()] = conn
	r.log.Printf("relay: %d active", len(r.active))
}

// AcceptLoop tracks handed-over connections until ctx ends.
func (r *Relay) AcceptLoop(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case conn := <-r.accepted:
			defer conn.Close() // HAZ defer-in-loop
			r.track(conn)
		}
	}
}

// ServeEach serves every handed-over connection in its own goroutine that
// closes it.
func (r *Relay) ServeEach(ctx context.Context, s *Session, fn func(Message)) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case conn := <-r.accepted:
			go func() {
				defer conn.Close()
				if err := s.Serve(conn, fn); err != nil {
					r.log.Printf("relay: %v", err)
				}
			}()
		}
	}
}
