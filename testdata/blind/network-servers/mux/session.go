// Package mux multiplexes many logical byte streams over one net.Conn.
//
// Each session runs one reader goroutine, which decodes frames and hands
// data to streams, and one writer goroutine, which batches outgoing frames
// so that small writes from many streams share a syscall.
package mux

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"

	"example.com/netsrv/internal/wire"
)

var (
	ErrSessionShutdown = errors.New("mux: session shut down")
	ErrGoingAway       = errors.New("mux: session is going away")
	ErrRemoteGoAway    = errors.New("mux: remote sent go away")
	ErrDuplicateStream = errors.New("mux: duplicate stream id")
	ErrTimeout         = errors.New("mux: i/o timeout")
	ErrSendQueueFull   = errors.New("mux: send queue full")
	ErrFrameTooLarge   = errors.New("mux: frame too large")
)

const (
	goAwayNormal        = 0
	goAwayProtocolError = 1
	maxRetainedBatch    = 256 << 10
)

// Config tunes a session.
type Config struct {
	AcceptBacklog int
	InitialWindow uint32
	WriteTimeout  time.Duration
	MaxBatch      int
	Logf          func(format string, args ...any)
}

// DefaultConfig returns conservative settings.
func DefaultConfig() Config {
	return Config{
		AcceptBacklog: 128,
		InitialWindow: 256 << 10,
		WriteTimeout:  10 * time.Second,
		MaxBatch:      64 << 10,
		Logf:          log.Printf,
	}
}

type sendReq struct {
	hdr  wire.Header
	body []byte
	done chan error
}

// Session is one multiplexed connection.
type Session struct {
	conn net.Conn
	cfg  Config

	mu        sync.Mutex
	streams   map[uint32]*Stream
	nextID    uint32
	goingAway bool
	pings     map[uint32]chan struct{}
	pingID    uint32

	acceptCh   chan *Stream
	sendCh     chan *sendReq
	shutdownCh chan struct{}
	closeOnce  sync.Once
	closeErr   error
	wg         sync.WaitGroup

	// batch is owned by the writer goroutine.
	batch *bytes.Buffer

	rttMu   sync.Mutex
	lastRTT time.Duration
	avgRTT  time.Duration
}

// NewSession starts the reader and writer goroutines for conn. Client
// sessions use odd stream ids, servers even ones.
func NewSession(conn net.Conn, cfg Config, client bool) *Session {
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 64 << 10
	}
	s := &Session{
		conn:       conn,
		cfg:        cfg,
		streams:    make(map[uint32]*Stream),
		pings:      make(map[uint32]chan struct{}),
		acceptCh:   make(chan *Stream, cfg.AcceptBacklog),
		sendCh:     make(chan *sendReq, 64),
		shutdownCh: make(chan struct{}),
		batch:      new(bytes.Buffer),
	}
	if client {
		s.nextID = 1
	} else {
		s.nextID = 2
	}
	s.wg.Add(2)
	go s.recvLoop()
	go s.sendLoop()
	return s
}

// IsClosed reports whether the session has shut down.
func (s *Session) IsClosed() bool {
	select {
	case <-s.shutdownCh:
		return true
	default:
		return false
	}
}

// Close tears the session down and waits for its goroutines.
func (s *Session) Close() error {
	s.exit(ErrSessionShutdown)
	s.wg.Wait()
	return nil
}

// Err returns the reason the session ended, or nil while it is running.
func (s *Session) Err() error {
	if !s.IsClosed() {
		return nil
	}
	return s.closeErr
}

func (s *Session) exit(reason error) {
	s.closeOnce.Do(func() {
		s.closeErr = reason
		close(s.shutdownCh)
		_ = s.conn.Close()

		s.mu.Lock()
		defer s.mu.Unlock() // ok: forceClose only takes the stream's own lock
		for id, st := range s.streams {
			st.forceClose(reason)
			delete(s.streams, id)
		}
	})
}

// NumStreams returns the number of open streams.
func (s *Session) NumStreams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.streams)
}

// OpenStream creates a new outgoing stream.
func (s *Session) OpenStream() (*Stream, error) {
	if s.IsClosed() {
		return nil, ErrSessionShutdown
	}
	s.mu.Lock()
	if s.goingAway {
		s.mu.Unlock()
		return nil, ErrGoingAway
	}
	id := s.nextID
	s.nextID += 2
	st := newStream(s, id, streamSynSent)
	s.streams[id] = st
	s.mu.Unlock()

	if err := st.sendWindowUpdate(wire.FlagSYN, 0); err != nil {
		s.closeStream(id)
		return nil, err
	}
	return st, nil
}

// AcceptStream waits for the peer to open a stream.
func (s *Session) AcceptStream(ctx context.Context) (*Stream, error) {
	select {
	case st := <-s.acceptCh:
		if err := st.sendWindowUpdate(wire.FlagACK, 0); err != nil {
			st.forceClose(err)
			s.closeStream(st.id)
			return nil, err
		}
		st.establish()
		return st, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.shutdownCh:
		return nil, ErrSessionShutdown
	}
}

// GoAway stops new streams from being accepted and resets the incoming
// streams nobody has accepted yet. Established streams run to completion.
func (s *Session) GoAway() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.goingAway = true
	for id, st := range s.streams {
		if st.pending() {
			st.forceClose(ErrGoingAway)
			s.closeStream(id) // HAZ lock-reentry-under-defer
		}
	}
	return s.enqueue(wire.Header{Type: wire.TypeGoAway, Length: goAwayNormal}, nil)
}

func (s *Session) lookup(id uint32) *Stream {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streams[id]
}

func (s *Session) closeStream(id uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.streams, id)
}

// enqueue hands a frame to the writer without waiting for it to be written.
// It never blocks, so it is safe to call with s.mu held.
func (s *Session) enqueue(h wire.Header, body []byte) error {
	req := &sendReq{hdr: h, body: body, done: make(chan error, 1)}
	select {
	case s.sendCh <- req:
		return nil
	case <-s.shutdownCh:
		return ErrSessionShutdown
	default:
		return ErrSendQueueFull
	}
}

// waitForSend queues a frame and waits until the writer has written it.
func (s *Session) waitForSend(h wire.Header, body []byte) error {
	req := &sendReq{hdr: h, body: body, done: make(chan error, 1)}
	timer := time.NewTimer(s.cfg.WriteTimeout)
	defer timer.Stop()

	select {
	case s.sendCh <- req:
	case <-s.shutdownCh:
		return ErrSessionShutdown
	case <-timer.C:
		return ErrTimeout
	}
	select {
	case err := <-req.done:
		return err
	case <-s.shutdownCh:
		return ErrSessionShutdown
	case <-timer.C:
		return ErrTimeout
	}
}

func (s *Session) sendReset(id uint32) error {
	return s.enqueue(wire.Header{Type: wire.TypeWindowUpdate, Flags: wire.FlagRST, StreamID: id}, nil)
}

// Ping sends a ping and waits for the acknowledgement.
func (s *Session) Ping(ctx context.Context) (time.Duration, error) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.pingID++
	id := s.pingID
	s.pings[id] = ch
	s.mu.Unlock()
	defer s.forgetPing(id)

	start := time.Now()
	defer s.observeRTT(time.Now().Sub(start)) // HAZ defer-eager-evaluation
	if err := s.waitForSend(wire.Header{Type: wire.TypePing, Flags: wire.FlagSYN, Length: id}, nil); err != nil {
		return 0, err
	}
	select {
	case <-ch:
		return time.Since(start), nil
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-s.shutdownCh:
		return 0, ErrSessionShutdown
	}
}

func (s *Session) forgetPing(id uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pings, id)
}

func (s *Session) observeRTT(d time.Duration) {
	s.rttMu.Lock()
	defer s.rttMu.Unlock()
	s.lastRTT = d
	if s.avgRTT == 0 {
		s.avgRTT = d
		return
	}
	s.avgRTT = (7*s.avgRTT + d) / 8
}

// RTT returns the last and smoothed round-trip times.
func (s *Session) RTT() (last, avg time.Duration) {
	s.rttMu.Lock()
	defer s.rttMu.Unlock()
	return s.lastRTT, s.avgRTT
}

func (s *Session) recvLoop() {
	defer s.wg.Done()
	err := s.readFrames()
	s.exit(err)
}

// readFrames decodes frames until the connection fails or the peer breaks
// the protocol.
func (s *Session) readFrames() error {
	defer s.sendGoAway(goAwayProtocolError) // HAZ defer-blocking-call
	hdrBuf := make([]byte, wire.HeaderSize)
	buf := make([]byte, 32<<10)
	for {
		h, body, err := wire.ReadFrame(s.conn, hdrBuf, buf)
		if err != nil {
			return err
		}
		if err := s.dispatch(h, body); err != nil {
			return err
		}
	}
}

// sendGoAway writes a GO_AWAY frame straight to the connection, bypassing
// the writer goroutine.
func (s *Session) sendGoAway(code uint32) {
	var b [wire.HeaderSize]byte
	wire.Header{Version: wire.Version, Type: wire.TypeGoAway, Length: code}.Encode(b[:])
	_, _ = s.conn.Write(b[:])
}

func (s *Session) dispatch(h wire.Header, body []byte) error {
	switch h.Type {
	case wire.TypeData:
		return s.handleData(h, body)
	case wire.TypeWindowUpdate:
		return s.handleWindowUpdate(h)
	case wire.TypePing:
		return s.handlePing(h)
	case wire.TypeGoAway:
		return ErrRemoteGoAway
	}
	return fmt.Errorf("mux: unexpected frame type %v", h.Type)
}

func (s *Session) handleData(h wire.Header, body []byte) error {
	st := s.lookup(h.StreamID)
	if st == nil {
		return nil // already reset locally; drop the data
	}
	if len(body) > 0 {
		if err := st.deliver(body); err != nil {
			return err
		}
	}
	if h.Flags&wire.FlagFIN != 0 {
		st.remoteClose()
	}
	if h.Flags&wire.FlagRST != 0 {
		st.forceClose(ErrStreamReset)
		s.closeStream(h.StreamID)
	}
	return nil
}

func (s *Session) handleWindowUpdate(h wire.Header) error {
	if h.Flags&wire.FlagSYN != 0 {
		if err := s.incomingStream(h.StreamID); err != nil {
			return err
		}
	}
	st := s.lookup(h.StreamID)
	if st == nil {
		return nil
	}
	if h.Flags&wire.FlagRST != 0 {
		st.forceClose(ErrStreamReset)
		s.closeStream(h.StreamID)
		return nil
	}
	st.incrSendWindow(h)
	return nil
}

func (s *Session) incomingStream(id uint32) error {
	st := newStream(s, id, streamSynReceived)
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.goingAway {
		s.mu.Unlock()
		return s.sendReset(id)
	}
	if _, dup := s.streams[id]; dup {
		s.cfg.Logf("mux: peer reused stream id %d", id)
		return ErrDuplicateStream
	}
	s.streams[id] = st
	s.mu.Unlock()

	select {
	case s.acceptCh <- st:
		return nil
	default:
		s.cfg.Logf("mux: accept backlog full, resetting stream %d", id)
		s.closeStream(id)
		return s.sendReset(id)
	}
}

func (s *Session) handlePing(h wire.Header) error {
	if h.Flags&wire.FlagACK != 0 {
		s.mu.Lock()
		ch, ok := s.pings[h.Length]
		if ok {
			delete(s.pings, h.Length)
		}
		s.mu.Unlock()
		if ok {
			close(ch)
		}
		return nil
	}
	// Answer from the reader without waiting: a full queue just drops the
	// ack and the peer's ping times out.
	if err := s.enqueue(wire.Header{Type: wire.TypePing, Flags: wire.FlagACK, Length: h.Length}, nil); err != nil && !errors.Is(err, ErrSendQueueFull) {
		return err
	}
	return nil
}
