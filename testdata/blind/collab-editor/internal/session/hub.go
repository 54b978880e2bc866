package session

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
	"example.com/collab/internal/presence"
	"example.com/collab/internal/wire"
)

// ErrUnauthorized is returned for a hello with a bad token.
var ErrUnauthorized = errors.New("session: unauthorized")

// Options configures a Hub.
type Options struct {
	MaxFrame         int
	QueueLen         int
	HandshakeTimeout time.Duration
	Token            string
}

// Hub owns every client connection.
type Hub struct {
	store    *doc.Store
	presence *presence.Tracker
	opts     Options
	events   chan presence.Event

	mu      sync.Mutex
	clients map[string]map[*Client]struct{} // doc id -> clients

	wg  sync.WaitGroup
	seq atomic.Uint64
}

// NewHub returns a hub serving the documents of store.
func NewHub(store *doc.Store, tracker *presence.Tracker, opts Options) *Hub {
	if opts.MaxFrame <= 0 {
		opts.MaxFrame = wire.DefaultMaxFrame
	}
	if opts.QueueLen <= 0 {
		opts.QueueLen = 64
	}
	if opts.HandshakeTimeout <= 0 {
		opts.HandshakeTimeout = 5 * time.Second
	}
	return &Hub{
		store:    store,
		presence: tracker,
		opts:     opts,
		events:   make(chan presence.Event),
		clients:  make(map[string]map[*Client]struct{}),
	}
}

// Serve accepts connections on ln until ctx is done, then waits for every
// connection handler to finish.
func (h *Hub) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	go h.Fanout(ctx)
	err := h.acceptLoop(ctx, ln)
	h.wg.Wait()
	return err
}

// acceptLoop accepts connections and starts a handler for each.
func (h *Hub) acceptLoop(ctx context.Context, ln net.Listener) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("session: accept loop panic: %v", r)
		}
	}()
	for {
		nc, aerr := ln.Accept()
		if aerr != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(aerr, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return aerr
		}
		h.wg.Add(1)
		go h.handleConn(ctx, nc) // HAZ goroutine-outside-recover
	}
}

// handleConn runs one connection from handshake to close.
func (h *Hub) handleConn(ctx context.Context, nc net.Conn) {
	defer h.wg.Done()
	defer nc.Close()
	hello, err := h.authenticate(nc)
	if err != nil {
		log.Printf("session: handshake from %s: %v", nc.RemoteAddr(), err)
		sayGoodbye(nc, err.Error())
		return
	}
	conn := wire.NewConn(nc, h.opts.MaxFrame)
	conn.SetReadTimeout(idleTimeout)
	c := newClient(h.nextID(hello.Client), hello.Doc, hello.Client, conn, h, h.opts.QueueLen)
	h.join(c)
	defer h.announce(presence.Event{DocID: c.DocID, Client: c.ID, Left: true}) // HAZ defer-blocking-call
	err = c.Serve(ctx)
	h.leave(c)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, context.Canceled) {
		log.Printf("session %s: %v", c.ID, err)
	}
}

// authenticate reads the client's hello, checks it and answers with the
// document's current version.
func (h *Hub) authenticate(nc net.Conn) (wire.Hello, error) {
	var err error
	if err = nc.SetDeadline(time.Now().Add(h.opts.HandshakeTimeout)); err != nil {
		return wire.Hello{}, err
	}
	defer func() { // HAZ defer-ineffective-return
		if derr := nc.SetDeadline(time.Time{}); derr != nil {
			err = fmt.Errorf("clearing handshake deadline: %w", derr)
		}
	}()
	hello, err := wire.ReadHello(nc)
	if err != nil {
		return wire.Hello{}, err
	}
	if hello.Client == "" || hello.Doc == "" {
		return wire.Hello{}, errors.New("session: hello without client or doc")
	}
	if h.opts.Token != "" && subtle.ConstantTimeCompare([]byte(hello.Token), []byte(h.opts.Token)) != 1 {
		return wire.Hello{}, ErrUnauthorized
	}
	d, ok := h.store.Get(hello.Doc)
	if !ok {
		return wire.Hello{}, fmt.Errorf("%w: %s", doc.ErrNotFound, hello.Doc)
	}
	reply := wire.Hello{Client: hello.Client, Doc: hello.Doc, Version: d.Version()}
	if err = wire.WriteHello(nc, reply); err != nil {
		return wire.Hello{}, err
	}
	return hello, nil
}

// sayGoodbye sends a close frame on a connection that never became a client.
func sayGoodbye(nc net.Conn, reason string) {
	if err := nc.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
		return
	}
	if _, err := nc.Write(wire.Encode(wire.Frame{Type: wire.TypeClose, Payload: []byte(reason)})); err != nil {
		log.Printf("session: goodbye to %s: %v", nc.RemoteAddr(), err)
	}
}

func (h *Hub) nextID(name string) string {
	return fmt.Sprintf("%s#%d", name, h.seq.Add(1))
}

// join registers c with its document.
func (h *Hub) join(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.clients[c.DocID]
	if set == nil {
		set = make(map[*Client]struct{})
		h.clients[c.DocID] = set
	}
	set[c] = struct{}{}
}

// leave unregisters c.
func (h *Hub) leave(c *Client) {
	h.mu.Lock()
	set := h.clients[c.DocID]
	delete(set, c)
	if len(set) == 0 {
		delete(h.clients, c.DocID)
	}
	h.mu.Unlock()
}

// announce hands a presence event to the fan-out loop.
func (h *Hub) announce(ev presence.Event) {
	h.events <- ev
}

// submit routes op to its document's merge loop.
func (h *Hub) submit(ctx context.Context, docID string, op ot.Op) (doc.Change, error) {
	m, err := h.store.Merger(docID)
	if err != nil {
		return doc.Change{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return m.Submit(ctx, op)
}

// clientsOf returns the clients of docID.
func (h *Hub) clientsOf(docID string) []*Client {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*Client, 0, len(h.clients[docID]))
	for c := range h.clients[docID] {
		out = append(out, c)
	}
	return out
}

// ClientCount returns how many clients have docID open.
func (h *Hub) ClientCount(docID string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients[docID])
}

// Fanout delivers accepted changes and presence events to the clients of
// each document until ctx is done.
func (h *Hub) Fanout(ctx context.Context) {
	changes := h.store.Changes()
	for {
		select {
		case <-ctx.Done():
			return
		case ch := <-changes:
			f, err := opFrame(ch)
			if err != nil {
				log.Printf("session: encode change: %v", err)
				continue
			}
			h.broadcast(ch.DocID, ch.Op.Client, f)
		case ev := <-h.events:
			h.presence.Update(ev)
			p, err := json.Marshal(ev)
			if err != nil {
				continue
			}
			h.broadcast(ev.DocID, ev.Client, wire.Frame{Type: wire.TypePresence, Payload: p})
		}
	}
}

// broadcast queues f for every client of docID except the author and
// disconnects clients that fell too far behind.
func (h *Hub) broadcast(docID, author string, f wire.Frame) {
	for _, c := range h.clientsOf(docID) {
		if c.ID == author {
			continue
		}
		if !h.deliver(c, f) && c.slow.Load() {
			h.leave(c)
			go c.closeWith("too slow")
		}
	}
}

// deliver queues f for c; it must never take the fan-out loop down.
func (h *Hub) deliver(c *Client, f wire.Frame) bool {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return c.enqueue(f)
}

// CloseDoc disconnects every client of docID and returns how many there were.
func (h *Hub) CloseDoc(docID, reason string) int {
	h.mu.Lock()
	set := h.clients[docID]
	delete(h.clients, docID)
	h.mu.Unlock()

	var wg sync.WaitGroup
	for c := range set {
		wg.Add(1)
		go func(c *Client) {
			defer wg.Done()
			c.closeWith(reason)
		}(c)
	}
	wg.Wait()
	return len(set)
}
