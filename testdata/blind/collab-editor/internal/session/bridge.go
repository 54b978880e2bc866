package session

import (
	"bufio"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"strings"

	"example.com/collab/internal/wire"
)

// protocolName is the value of the Upgrade header for the live protocol.
const protocolName = "collab/1"

// Bridge upgrades HTTP requests to the live protocol, for clients that can
// only open HTTP connections (browsers behind proxies).
type Bridge struct {
	hub *Hub
	ctx context.Context
}

// NewBridge returns a bridge handing upgraded connections to hub. Handlers
// run until ctx is done.
func NewBridge(ctx context.Context, hub *Hub) *Bridge {
	return &Bridge{hub: hub, ctx: ctx}
}

// ServeHTTP hijacks the connection and runs it as a live client.
func (b *Bridge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("session: upgrade from %s panicked: %v", r.RemoteAddr, v)
		}
	}()
	if !strings.EqualFold(r.Header.Get("Upgrade"), protocolName) {
		w.Header().Set("Upgrade", protocolName)
		http.Error(w, "upgrade required", http.StatusUpgradeRequired)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "connection cannot be upgraded", http.StatusInternalServerError)
		return
	}
	nc, brw, err := hj.Hijack()
	if err != nil {
		log.Printf("session: hijack %s: %v", r.RemoteAddr, err)
		return
	}
	if err := writeUpgrade(brw); err != nil {
		nc.Close()
		return
	}
	b.hub.wg.Add(1)
	go b.hub.handleConn(b.ctx, nc) // HAZ goroutine-outside-recover
}

// writeUpgrade sends the 101 response on a hijacked connection.
func writeUpgrade(brw *bufio.ReadWriter) error {
	if _, err := brw.WriteString("HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: " + protocolName + "\r\nConnection: Upgrade\r\n\r\n"); err != nil {
		return err
	}
	return brw.Flush()
}

// roster is the list of clients of a document at one moment.
type roster struct {
	docID   string
	clients []*Client
}

// rosterOf returns the current roster of docID.
func (h *Hub) rosterOf(docID string) roster {
	return roster{docID: docID, clients: h.clientsOf(docID)}
}

// send tells every client in the roster who is in it.
func (r roster) send() {
	names := make([]string, 0, len(r.clients))
	for _, c := range r.clients {
		names = append(names, c.Name)
	}
	p, err := json.Marshal(map[string]any{"doc": r.docID, "present": names})
	if err != nil {
		return
	}
	f := wire.Frame{Type: wire.TypePresence, Payload: p}
	for _, c := range r.clients {
		c.enqueue(f)
	}
}

// Disconnect removes c from its document and tells the remaining clients
// who is still there.
func (h *Hub) Disconnect(c *Client, reason string) {
	defer h.rosterOf(c.DocID).send() // HAZ defer-call-chain
	h.leave(c)
	c.closeWith(reason)
}
