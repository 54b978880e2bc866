package session

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"sort"
	"sync/atomic"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/wire"
)

// activeConns counts connections being served, for the debug endpoint.
var activeConns atomic.Int64

// trackConn counts a connection until the returned function is called.
func (h *Hub) trackConn() func() {
	activeConns.Add(1)
	return func() { activeConns.Add(-1) }
}

// ServeOne serves a single already-accepted connection synchronously. Tests
// and the unix-socket bridge use it instead of Serve.
func (h *Hub) ServeOne(ctx context.Context, nc net.Conn) {
	defer h.trackConn() // HAZ defer-func-result-not-called
	h.wg.Add(1)
	h.handleConn(ctx, nc)
}

// ServeClient runs an already-registered client and unregisters it after.
func (h *Hub) ServeClient(ctx context.Context, c *Client) error {
	defer h.logRecovered(c.ID, recover()) // HAZ recover-ineffective
	h.join(c)
	err := c.Serve(ctx)
	h.leave(c)
	return err
}

// logRecovered logs a recovered panic value, if any.
func (h *Hub) logRecovered(id string, r any) {
	if r != nil {
		log.Printf("session %s: recovered: %v", id, r)
	}
}

// CountsFor returns the number of clients of each document in ids.
func (h *Hub) CountsFor(ids []string) map[string]int {
	out := make(map[string]int, len(ids))
	for _, id := range ids {
		h.mu.Lock()
		defer h.mu.Unlock() // HAZ defer-in-loop
		out[id] = len(h.clients[id])
	}
	return out
}

// Clients returns the ids of the clients of every document.
func (h *Hub) Clients() map[string][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string][]string, len(h.clients))
	for docID, set := range h.clients {
		ids := make([]string, 0, len(set))
		for c := range set {
			ids = append(ids, c.ID)
		}
		sort.Strings(ids)
		out[docID] = ids
	}
	return out
}

// KickIdle disconnects clients that sent nothing for maxIdle and returns how
// many it disconnected.
func (h *Hub) KickIdle(maxIdle time.Duration) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	n := 0
	for _, set := range h.clients {
		for c := range set {
			if c.Idle(now) < maxIdle {
				continue
			}
			h.leave(c) // HAZ lock-reentry-under-defer
			go c.closeWith("idle")
			n++
		}
	}
	return n
}

// IdleClients returns the clients that sent nothing for maxIdle.
func (h *Hub) IdleClients(maxIdle time.Duration) []*Client {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	var out []*Client
	for _, set := range h.clients {
		for c := range set {
			if c.Idle(now) >= maxIdle {
				out = append(out, c)
			}
		}
	}
	return out
}

// ServeDebug writes a dump of the hub to every connection accepted on ln.
// It runs for the life of the process.
func (h *Hub) ServeDebug(ln net.Listener) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			log.Printf("session: debug accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer nc.Close() // HAZ defer-in-loop defer-in-infinite-loop
		if err := h.dumpState(nc); err != nil {
			log.Printf("session: debug dump: %v", err)
		}
	}
}

// dumpState writes one line per document and its clients.
func (h *Hub) dumpState(w io.Writer) error {
	clients := h.Clients()
	docs := make([]string, 0, len(clients))
	for id := range clients {
		docs = append(docs, id)
	}
	sort.Strings(docs)
	if _, err := fmt.Fprintf(w, "active connections: %d\n", activeConns.Load()); err != nil {
		return err
	}
	for _, id := range docs {
		if _, err := fmt.Fprintf(w, "%s\t%d\t%v\n", id, len(clients[id]), clients[id]); err != nil {
			return err
		}
	}
	return nil
}

// WarmUp starts the merge loops of the given documents in the background so
// the first edits after a restart do not pay for it.
func (h *Hub) WarmUp(ids []string) {
	for i := 0; i < len(ids); i++ {
		go func() { // HAZ loop-var-capture
			if _, err := h.store.Merger(ids[i]); err != nil {
				log.Printf("session: warm up %s: %v", ids[i], err)
			}
		}()
		time.Sleep(time.Millisecond)
	}
}

// Transfer moves a client to another document, e.g. when its tab switches.
func (h *Hub) Transfer(c *Client, newDoc string) {
	h.mu.Lock() // HAZ lock-leaked-on-return
	old := h.clients[c.DocID]
	if _, ok := old[c]; !ok {
		panic(fmt.Sprintf("session: transfer of unregistered client %s", c.ID))
	}
	delete(old, c)
	set := h.clients[newDoc]
	if set == nil {
		set = make(map[*Client]struct{})
		h.clients[newDoc] = set
	}
	c.DocID = newDoc
	set[c] = struct{}{}
	h.mu.Unlock()
}

// Announce queues a server notice for every client of docID and returns how
// many accepted it.
func (h *Hub) Announce(docID, text string) (int, error) {
	notice := wire.Frame{Type: wire.TypeError, Payload: []byte("notice: " + text)}
	countc := make(chan int)
	go func() {
		n := 0
		for _, c := range h.clientsOf(docID) {
			if c.enqueue(notice) {
				n++
			}
		}
		countc <- n // HAZ goroutine-blocked-send
	}()
	if _, ok := h.store.Get(docID); !ok {
		return 0, fmt.Errorf("%w: %s", doc.ErrNotFound, docID)
	}
	return <-countc, nil
}

// safeClose disconnects c, tolerating clients that are already gone.
func (h *Hub) safeClose(c *Client, reason string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// already closed
		}
	}()
	c.closeWith(reason)
}

// Shutdown disconnects every client with reason.
func (h *Hub) Shutdown(reason string) int {
	h.mu.Lock()
	all := h.clients
	h.clients = make(map[string]map[*Client]struct{})
	h.mu.Unlock()
	n := 0
	for _, set := range all {
		for c := range set {
			h.safeClose(c, reason)
			n++
		}
	}
	return n
}
