// Package session runs the long-lived editor connections: one reader and one
// writer goroutine per client, a hub that fans accepted changes and presence
// out to every client of a document.
package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
	"example.com/collab/internal/presence"
	"example.com/collab/internal/wire"
)

const (
	pingEvery    = 20 * time.Second
	writeTimeout = 10 * time.Second
	idleTimeout  = 60 * time.Second
	maxDropped   = 256
)

// Client is one connected editor.
type Client struct {
	ID    string
	DocID string
	Name  string

	conn     *wire.Conn
	hub      *Hub
	send     chan wire.Frame
	slow     atomic.Bool
	dropped  atomic.Uint64
	lastSeen atomic.Int64
}

func newClient(id, docID, name string, conn *wire.Conn, hub *Hub, queue int) *Client {
	c := &Client{ID: id, DocID: docID, Name: name, conn: conn, hub: hub, send: make(chan wire.Frame, queue)}
	c.lastSeen.Store(time.Now().UnixNano())
	return c
}

// enqueue queues f without blocking. A client that keeps falling behind is
// marked slow and will be disconnected by the fan-out loop.
func (c *Client) enqueue(f wire.Frame) bool {
	select {
	case c.send <- f:
		return true
	default:
		if c.dropped.Add(1) > maxDropped {
			c.slow.Store(true)
		}
		return false
	}
}

// Serve runs the client's reader and writer until either stops, then stops
// the other and returns the first error.
func (c *Client) Serve(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("session %s: panic: %v", c.ID, r)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	errc := make(chan error, 2)
	go func() {
		defer c.recoverLoop("reader", errc)
		errc <- c.readLoop(ctx)
	}()
	go func() {
		defer c.recoverLoop("writer", errc)
		errc <- c.writeLoop(ctx)
	}()

	err = <-errc
	cancel()
	if ierr := c.conn.Interrupt(); ierr != nil {
		c.conn.Close()
	}
	<-errc
	return err
}

// recoverLoop is deferred by each connection goroutine: it turns a panic
// into an error for Serve instead of killing the server.
func (c *Client) recoverLoop(name string, errc chan<- error) {
	if r := recover(); r != nil {
		log.Printf("session %s: %s panic: %v\n%s", c.ID, name, r, debug.Stack())
		select {
		case errc <- fmt.Errorf("%s panic: %v", name, r):
		default:
		}
	}
}

// readLoop reads frames from the client until the connection fails.
func (c *Client) readLoop(ctx context.Context) error {
	for {
		f, err := c.conn.Read()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		c.lastSeen.Store(time.Now().UnixNano())
		switch f.Type {
		case wire.TypeOp:
			op, err := decodeOp(f.Payload)
			if err != nil {
				return err
			}
			op.Client = c.ID
			ch, err := c.hub.submit(ctx, c.DocID, op)
			if err != nil {
				c.enqueue(errorFrame(err))
				continue
			}
			c.enqueue(ackFrame(ch.Version, op.Seq))
		case wire.TypePresence:
			var ev presence.Event
			if err := json.Unmarshal(f.Payload, &ev); err != nil {
				return fmt.Errorf("bad presence frame: %w", err)
			}
			ev.DocID, ev.Client, ev.Name = c.DocID, c.ID, c.Name
			select {
			case c.hub.events <- ev:
			case <-ctx.Done():
				return ctx.Err()
			}
		case wire.TypePing:
			c.enqueue(wire.Frame{Type: wire.TypePong})
		case wire.TypePong:
		case wire.TypeClose:
			return nil
		default:
			return fmt.Errorf("%w: %s from client", wire.ErrUnexpected, f.Type)
		}
	}
}

// writeLoop writes queued frames and keep-alive pings.
func (c *Client) writeLoop(ctx context.Context) error {
	ticker := time.NewTicker(pingEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case f := <-c.send:
			batch := []wire.Frame{f}
			for len(batch) < 32 && len(c.send) > 0 {
				batch = append(batch, <-c.send)
			}
			if err := c.conn.WriteBatch(batch, writeTimeout); err != nil {
				return err
			}
		case <-ticker.C:
			if err := c.conn.Write(wire.Frame{Type: wire.TypePing}, writeTimeout); err != nil {
				return err
			}
		}
	}
}

// closeWith tells the client why it is being disconnected and closes the
// connection.
func (c *Client) closeWith(reason string) {
	if err := c.conn.Write(wire.Frame{Type: wire.TypeClose, Payload: []byte(reason)}, time.Second); err != nil {
		log.Printf("session %s: close frame: %v", c.ID, err)
	}
	c.conn.Close()
}

// Idle reports how long ago the client last sent anything.
func (c *Client) Idle(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, c.lastSeen.Load()))
}

func decodeOp(p []byte) (ot.Op, error) {
	var op ot.Op
	if err := json.Unmarshal(p, &op); err != nil {
		return ot.Op{}, fmt.Errorf("bad op frame: %w", err)
	}
	if op.Kind != ot.Insert && op.Kind != ot.Delete {
		return ot.Op{}, fmt.Errorf("bad op kind %d", op.Kind)
	}
	return op, nil
}

func ackFrame(version, seq uint64) wire.Frame {
	p := strconv.AppendUint(nil, version, 10)
	p = append(p, ' ')
	p = strconv.AppendUint(p, seq, 10)
	return wire.Frame{Type: wire.TypeAck, Payload: p}
}

func errorFrame(err error) wire.Frame {
	msg := err.Error()
	if errors.Is(err, doc.ErrCompacted) {
		msg = "resync: " + msg
	}
	return wire.Frame{Type: wire.TypeError, Payload: []byte(msg)}
}

// opFrame encodes an accepted change for the other clients of the document.
func opFrame(ch doc.Change) (wire.Frame, error) {
	p, err := json.Marshal(ch)
	if err != nil {
		return wire.Frame{}, err
	}
	return wire.Frame{Type: wire.TypeOp, Payload: p}, nil
}
