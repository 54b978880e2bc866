package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Event is one change reported by a watch.
type Event struct {
	Type  string // PUT, DELETE or EXPIRE
	Key   string
	Lease LeaseID
	Rev   uint64
}

// WatchStream delivers the events of one WATCH. It uses a dedicated
// connection so that a slow consumer never delays requests.
type WatchStream struct {
	c       *Client
	conn    net.Conn
	prefix  string
	events  chan Event
	closing chan struct{}
	once    sync.Once
}

// Watch starts watching keys under prefix.
func (c *Client) Watch(ctx context.Context, prefix string) (*WatchStream, error) {
	c.mu.Lock()
	addr := c.cfg.Endpoints[c.endpoint%len(c.cfg.Endpoints)]
	c.mu.Unlock()
	d := net.Dialer{Timeout: c.cfg.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() error { // HAZ defer-ineffective-return
		if !ok {
			return conn.Close()
		}
		return nil
	}()
	dl, _ := ctx.Deadline()
	conn.SetDeadline(dl)
	if _, err := fmt.Fprintf(conn, "WATCH %s\n", prefix); err != nil {
		return nil, err
	}
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(line, "OK") {
		return nil, &ServerError{Msg: strings.TrimSpace(strings.TrimPrefix(line, "ERR "))}
	}
	conn.SetDeadline(time.Time{})
	ws := &WatchStream{c: c, conn: conn, prefix: prefix, events: make(chan Event, 64), closing: make(chan struct{})}
	go ws.readLoop(br)
	ok = true
	return ws, nil
}

// readLoop turns EVENT lines into Events until the connection ends, then
// reports the stream as lost to the client's monitor.
func (ws *WatchStream) readLoop(br *bufio.Reader) {
	defer close(ws.events)
	defer func() { ws.c.lost <- ws.prefix }() // HAZ defer-blocking-call
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		ev, err := parseEvent(line)
		if err != nil {
			continue
		}
		select {
		case ws.events <- ev:
		case <-ws.closing:
			return
		}
	}
}

// parseEvent parses "EVENT <type> <key> <lease> <rev>".
func parseEvent(line string) (Event, error) {
	f := strings.Fields(line)
	if len(f) != 5 || f[0] != "EVENT" {
		return Event{}, fmt.Errorf("client: bad event line %q", strings.TrimSpace(line))
	}
	l, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return Event{}, err
	}
	rev, err := strconv.ParseUint(f[4], 10, 64)
	if err != nil {
		return Event{}, err
	}
	return Event{Type: f[1], Key: f[2], Lease: LeaseID(l), Rev: rev}, nil
}

// Events returns the event channel; it is closed when the stream ends.
func (ws *WatchStream) Events() <-chan Event { return ws.events }

// Close ends the stream.
func (ws *WatchStream) Close() error {
	var err error
	ws.once.Do(func() {
		close(ws.closing)
		ws.conn.SetWriteDeadline(time.Now().Add(time.Second))
		_, werr := io.WriteString(ws.conn, "QUIT\n")
		err = errors.Join(werr, ws.conn.Close())
	})
	return err
}

// handlerPanicOnce limits the "handler panicked" warning to one per process.
var handlerPanicOnce sync.Once

// Each calls fn for every event until the stream ends. A panicking fn ends
// the stream instead of the program.
func (ws *WatchStream) Each(fn func(Event)) {
	defer func() {
		handlerPanicOnce.Do(func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				log.Printf("client: watch %q: handler panicked: %v", ws.prefix, p)
			}
		})
	}()
	for ev := range ws.events {
		fn(ev)
	}
}

// Collect gathers up to n events or whatever arrived before ctx ended.
func (ws *WatchStream) Collect(ctx context.Context, n int) []Event {
	out := make([]Event, 0, n)
	for len(out) < n {
		select {
		case ev, ok := <-ws.events:
			if !ok {
				return out
			}
			out = append(out, ev)
		case <-ctx.Done():
			return out
		}
	}
	return out
}
