// Package heartbeat receives UDP heartbeats from game clients and reports
// players whose client went silent.
package heartbeat

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

const (
	magic      = 0x4842 // "HB"
	maxPacket  = 512
	headerSize = 2 + 4 + 1
)

// Beat is one decoded heartbeat.
type Beat struct {
	PlayerID string
	Seq      uint32
	At       time.Time
	Addr     *net.UDPAddr
}

type packet struct {
	buf  []byte
	n    int
	addr *net.UDPAddr
}

// Listener reads heartbeats from a UDP socket and tracks the last time each
// player was seen.
type Listener struct {
	conn    *net.UDPConn
	workers int
	raw     chan packet
	bufs    sync.Pool
	wg      sync.WaitGroup

	decoders atomic.Int32
	decoded  []atomic.Int64 // per decode worker

	mu       sync.RWMutex
	lastSeen map[string]time.Time
	lastSeq  map[string]uint32
}

// Listen binds a UDP socket on addr.
func Listen(addr string, workers int) (*Listener, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("heartbeat: resolve %s: %w", addr, err)
	}
	conn, err := net.ListenUDP("udp", ua)
	if err != nil {
		return nil, fmt.Errorf("heartbeat: listen %s: %w", addr, err)
	}
	if workers <= 0 {
		workers = 2
	}
	l := &Listener{
		conn:     conn,
		workers:  workers,
		raw:      make(chan packet, 256),
		lastSeen: make(map[string]time.Time),
		lastSeq:  make(map[string]uint32),
		decoded:  make([]atomic.Int64, workers),
	}
	l.bufs.New = func() any { return make([]byte, maxPacket) }
	return l, nil
}

// Addr returns the bound address.
func (l *Listener) Addr() net.Addr { return l.conn.LocalAddr() }

// Decoders returns how many decode workers were started.
func (l *Listener) Decoders() int { return int(l.decoders.Load()) }

// Decoded returns how many beats each decode worker handled.
func (l *Listener) Decoded() []int64 {
	out := make([]int64, len(l.decoded))
	for i := range l.decoded {
		out[i] = l.decoded[i].Load()
	}
	return out
}

// Start launches the read loop and the decode workers.
func (l *Listener) Start() {
	var i int
	for i = 0; i < l.workers; i++ {
		l.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer l.wg.Done()
			l.decodeLoop(i)
		}()
		l.decoders.Add(1)
	}
	log.Printf("heartbeat: %d decode workers on %s", i, l.Addr())
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.readLoop()
	}()
}

// readLoop reads datagrams until the socket is closed, then closes raw so
// the decode workers stop.
func (l *Listener) readLoop() {
	defer close(l.raw)
	for {
		buf := l.bufs.Get().([]byte)
		n, addr, err := l.conn.ReadFromUDP(buf)
		if err != nil {
			l.bufs.Put(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("heartbeat: read: %v", err)
			continue
		}
		l.raw <- packet{buf: buf, n: n, addr: addr}
	}
}

// decodeLoop parses packets and records the beats.
func (l *Listener) decodeLoop(worker int) {
	for pkt := range l.raw {
		defer l.bufs.Put(pkt.buf) // HAZ defer-in-infinite-loop
		b, err := parseBeat(pkt.buf[:pkt.n])
		if err != nil {
			log.Printf("heartbeat worker %d: %s: %v", worker, pkt.addr, err)
			continue
		}
		b.Addr = pkt.addr
		l.record(b)
		l.decoded[worker].Add(1)
	}
}

// parseBeat decodes magic(2) seq(4) idlen(1) id.
func parseBeat(p []byte) (Beat, error) {
	if len(p) < headerSize {
		return Beat{}, fmt.Errorf("short packet (%d bytes)", len(p))
	}
	if binary.BigEndian.Uint16(p[0:2]) != magic {
		return Beat{}, errors.New("bad magic")
	}
	seq := binary.BigEndian.Uint32(p[2:6])
	idLen := int(p[6])
	if len(p) < headerSize+idLen || idLen == 0 {
		return Beat{}, fmt.Errorf("bad id length %d", idLen)
	}
	return Beat{PlayerID: string(p[7 : 7+idLen]), Seq: seq, At: time.Now()}, nil
}

// encodeBeat is the client side of parseBeat.
func encodeBeat(playerID string, seq uint32) ([]byte, error) {
	if len(playerID) == 0 || len(playerID) > 255 {
		return nil, fmt.Errorf("heartbeat: player id length %d", len(playerID))
	}
	p := make([]byte, headerSize+len(playerID))
	binary.BigEndian.PutUint16(p[0:2], magic)
	binary.BigEndian.PutUint32(p[2:6], seq)
	p[6] = byte(len(playerID))
	copy(p[7:], playerID)
	return p, nil
}

// record stores a beat unless it is older than the last one seen.
func (l *Listener) record(b Beat) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if last, ok := l.lastSeq[b.PlayerID]; ok && b.Seq <= last {
		return
	}
	l.lastSeq[b.PlayerID] = b.Seq
	l.lastSeen[b.PlayerID] = b.At
}

// Stale returns players not seen for maxAge, sorted, and forgets them.
func (l *Listener) Stale(now time.Time, maxAge time.Duration) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for id, seen := range l.lastSeen {
		if now.Sub(seen) > maxAge {
			out = append(out, id)
			delete(l.lastSeen, id)
			delete(l.lastSeq, id)
		}
	}
	sort.Strings(out)
	return out
}

// reportLoop logs silent players periodically for the lifetime of the
// process.
func (l *Listener) reportLoop(every, maxAge time.Duration, onStale func([]string)) {
	for {
		t := time.NewTimer(every)
		defer t.Stop() // HAZ defer-in-infinite-loop
		now := <-t.C
		if stale := l.Stale(now, maxAge); len(stale) > 0 {
			safeNotify(onStale, stale)
		}
	}
}

// safeNotify runs the stale callback; a panicking callback must not kill
// the reporter.
func safeNotify(onStale func([]string), ids []string) {
	defer log.Printf("heartbeat: stale callback for %d players done (panic: %v)", len(ids), recover()) // HAZ recover-ineffective
	onStale(ids)
}

// LastSeen returns when a player's last heartbeat arrived.
func (l *Listener) LastSeen(id string) (time.Time, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	t, ok := l.lastSeen[id]
	return t, ok
}

// SeenAll reports, for each id, whether a heartbeat arrived since t.
func (l *Listener) SeenAll(ids []string, since time.Time) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		l.mu.RLock()
		defer l.mu.RUnlock() // HAZ defer-in-loop
		seen, ok := l.lastSeen[id]
		out[id] = ok && seen.After(since)
	}
	return out
}

// Forget drops a player that logged out, so it is not reported stale.
func (l *Listener) Forget(id string) {
	l.mu.Lock()
	defer l.mu.RUnlock() // HAZ defer-lock-mismatch
	delete(l.lastSeen, id)
	delete(l.lastSeq, id)
}

// Supervise runs the listener until ctx ends. A panic while starting or
// stopping is logged instead of crashing the process.
func (l *Listener) Supervise(ctx context.Context, every, maxAge time.Duration, onStale func([]string)) {
	defer func() { // HAZ goroutine-outside-recover
		if r := recover(); r != nil {
			log.Printf("heartbeat: supervisor panic: %v", r)
		}
	}()
	l.Start()
	go l.reportLoop(every, maxAge, onStale)
	<-ctx.Done()
	if err := l.Close(); err != nil {
		log.Printf("heartbeat: close: %v", err)
	}
}

// WatchStale starts the stale-player reporter.
func (l *Listener) WatchStale(every, maxAge time.Duration, onStale func([]string)) {
	go l.reportLoop(every, maxAge, onStale)
}

// Close stops the socket and waits for the read and decode goroutines.
func (l *Listener) Close() error {
	err := l.conn.Close()
	l.wg.Wait()
	return err
}
