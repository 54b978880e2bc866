package raft

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"example.com/falsealarm3/internal/safe"
)

// Peer is a remote node.
type Peer interface {
	RequestVote(ctx context.Context, term uint64, cand string, lastIdx, lastTerm uint64) (bool, uint64, error)
	TimeoutNow(ctx context.Context, term uint64) error
}

// message is the wire format.
type message struct {
	Kind     string  `json:"kind"`
	Term     uint64  `json:"term"`
	From     string  `json:"from"`
	LastIdx  uint64  `json:"last_idx"`
	LastTerm uint64  `json:"last_term"`
	Entries  []Entry `json:"entries,omitempty"`
	Granted  bool    `json:"granted"`
}

// Transport accepts peer connections and dispatches them to the node.
type Transport struct {
	node *Node
	ln   net.Listener

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// NewTransport wraps a listener.
func NewTransport(n *Node, ln net.Listener) *Transport {
	return &Transport{node: n, ln: ln, conns: map[net.Conn]struct{}{}}
}

// Serve accepts until the listener is closed. Each connection runs on its
// own goroutine, which owns and closes the connection and recovers its own
// panics.
func (t *Transport) Serve() error {
	for {
		conn, err := t.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		t.track(conn, true)
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			t.serveConn(conn)
			t.track(conn, false)
		}()
	}
}

// serveConn handles one connection, closing it and containing its panics.
func (t *Transport) serveConn(conn net.Conn) {
	defer conn.Close()
	defer safe.LogPanic("raft-conn " + conn.RemoteAddr().String()) // ok: argument is a fixed label
	t.handle(conn)
}

// ServeLegacy is the v1 protocol loop kept for mixed-version clusters: it
// handles one connection at a time, inline.
func (t *Transport) ServeLegacy() {
	for {
		conn, err := t.ln.Accept()
		if err != nil {
			log.Printf("raft legacy accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		t.handle(conn)
	}
}

// ServeLegacyScoped handles each v1 connection in a helper that closes it.
func (t *Transport) ServeLegacyScoped() {
	for {
		conn, err := t.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("raft legacy accept: %v", err)
			continue
		}
		t.serveOne(conn) // ok: the defer lives in serveOne
	}
}

func (t *Transport) serveOne(conn net.Conn) {
	defer conn.Close()
	t.handle(conn)
}

// track records open connections so Close can interrupt them.
func (t *Transport) track(c net.Conn, add bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if add {
		t.conns[c] = struct{}{}
	} else {
		delete(t.conns, c)
	}
}

// Close stops accepting, closes live connections and waits for handlers.
func (t *Transport) Close() error {
	err := t.ln.Close()
	t.mu.Lock()
	for c := range t.conns {
		c.Close()
	}
	t.mu.Unlock() // ok: released before waiting so handlers can untrack
	t.wg.Wait()
	return err
}

// handle reads newline-delimited JSON requests and answers each.
func (t *Transport) handle(conn net.Conn) {
	r := bufio.NewReader(conn)
	enc := json.NewEncoder(conn)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		line, err := r.ReadBytes('\n')
		if err != nil {
			if !errors.Is(err, io.EOF) {
				log.Printf("raft conn %s: %v", conn.RemoteAddr(), err)
			}
			return
		}
		var m message
		if err := json.Unmarshal(line, &m); err != nil {
			log.Printf("raft conn %s: bad message: %v", conn.RemoteAddr(), err)
			return
		}
		resp := t.dispatch(m)
		if err := enc.Encode(resp); err != nil {
			return
		}
	}
}

func (t *Transport) dispatch(m message) message {
	switch m.Kind {
	case "vote":
		ok, term, err := t.node.HandleVote(m.Term, m.From, m.LastIdx, m.LastTerm)
		if err != nil {
			log.Printf("vote from %s: %v", m.From, err)
		}
		return message{Kind: "vote_resp", Term: term, Granted: ok}
	case "append":
		ok, term := t.node.HandleAppend(m.Term, m.From, m.LastIdx, m.LastTerm, m.Entries, 0)
		return message{Kind: "append_resp", Term: term, Granted: ok}
	}
	return message{Kind: "error"}
}

// tcpPeer is a Peer over a fresh TCP connection per call.
type tcpPeer struct {
	addr   string
	dialer net.Dialer
}

// NewTCPPeer returns a Peer dialing addr.
func NewTCPPeer(addr string) Peer { return &tcpPeer{addr: addr} }

func (p *tcpPeer) call(ctx context.Context, req message) (resp message, err error) {
	conn, err := p.dialer.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return resp, err
	}
	defer conn.Close() // ok: after the error check; Close does not block
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return resp, err
	}
	err = json.NewDecoder(bufio.NewReader(conn)).Decode(&resp)
	return resp, err
}

func (p *tcpPeer) RequestVote(ctx context.Context, term uint64, cand string, lastIdx, lastTerm uint64) (bool, uint64, error) {
	resp, err := p.call(ctx, message{Kind: "vote", Term: term, From: cand, LastIdx: lastIdx, LastTerm: lastTerm})
	if err != nil {
		return false, 0, err
	}
	return resp.Granted, resp.Term, nil
}

func (p *tcpPeer) TimeoutNow(ctx context.Context, term uint64) error {
	resp, err := p.call(ctx, message{Kind: "timeout_now", Term: term})
	if err != nil {
		return err
	}
	if resp.Kind == "error" {
		return fmt.Errorf("peer %s refused timeout_now", p.addr)
	}
	return nil
}

// Broadcast sends the same append to all peers and counts acks before the
// deadline. Every sender has its own result slot.
func Broadcast(ctx context.Context, peers []*tcpPeer, m message, timeout time.Duration) int {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	acks := make(chan bool, len(peers))
	for _, p := range peers {
		go func() {
			defer safe.LogPanic("broadcast " + p.addr)
			resp, err := p.call(ctx, m)
			acks <- err == nil && resp.Granted
		}()
	}
	n := 0
	for range peers {
		select {
		case ok := <-acks:
			if ok {
				n++
			}
		case <-ctx.Done():
			return n
		}
	}
	return n
}

// HeartbeatLoop sends heartbeats while the node leads. The loop exits on ctx.
func (n *Node) HeartbeatLoop(ctx context.Context, peers []*tcpPeer, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		term, leader := n.Term()
		if !leader {
			continue
		}
		Broadcast(ctx, peers, message{Kind: "append", Term: term, From: n.ID}, every)
	}
}
