// Package udpsrv is a UDP server for game and telemetry clients. Each client
// address gets a session after a hello packet carrying an auth token;
// sessions that stay silent longer than SessionTimeout are reaped.
package udpsrv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Packet kinds, the first byte of every datagram.
const (
	kindHello byte = iota + 1
	kindData
	kindAck
	kindBye
	kindKick
)

// Event names a session lifecycle event a hook can observe.
type Event int

const (
	EventJoin Event = iota
	EventExpire
	EventLeave
)

// Handler processes a data packet and may return a reply.
type Handler interface {
	HandlePacket(sess *Session, payload []byte) ([]byte, error)
}

// Verifier checks a hello token, typically against an external auth service.
type Verifier interface {
	Verify(token []byte) (PlayerID, error)
}

// Config tunes the server.
type Config struct {
	SessionTimeout time.Duration
	ReapInterval   time.Duration
	VerifyTimeout  time.Duration
	QueueSize      int
	Workers        int
	// Serial processes packets in arrival order on one goroutine, for
	// handlers that are not safe for concurrent use.
	Serial bool
}

type packet struct {
	addr net.Addr
	buf  []byte
	n    int
	at   time.Time
}

func (p *packet) data() []byte { return p.buf[:p.n] }

// Server is a session-oriented UDP server.
type Server struct {
	pc       net.PacketConn
	cfg      Config
	handler  Handler
	verifier Verifier
	hooks    map[Event]func(*Session)
	logf     func(string, ...any)

	bufPool sync.Pool
	inbound chan *packet
	dropped atomic.Uint64

	mu       sync.RWMutex
	sessions map[string]*Session

	wg sync.WaitGroup
}

// New creates a server reading from pc.
func New(pc net.PacketConn, cfg Config, h Handler, v Verifier) *Server {
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 1024
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.ReapInterval <= 0 {
		cfg.ReapInterval = time.Second
	}
	if cfg.VerifyTimeout <= 0 {
		cfg.VerifyTimeout = 2 * time.Second
	}
	s := &Server{
		pc:       pc,
		cfg:      cfg,
		handler:  h,
		verifier: v,
		hooks:    make(map[Event]func(*Session)),
		logf:     log.Printf,
		inbound:  make(chan *packet, cfg.QueueSize),
		sessions: make(map[string]*Session),
	}
	s.bufPool.New = func() any { return make([]byte, 64<<10) }
	return s
}

// OnEvent registers fn for ev. It must be called before Serve.
func (s *Server) OnEvent(ev Event, fn func(*Session)) {
	s.hooks[ev] = fn
}

func (s *Server) getBuf() []byte  { return s.bufPool.Get().([]byte) }
func (s *Server) putBuf(b []byte) { s.bufPool.Put(b[:cap(b)]) }

// Dropped returns the number of packets dropped because the queue was full.
func (s *Server) Dropped() uint64 { return s.dropped.Load() }

// Serve serves until ctx is cancelled or the socket fails. A panic in the
// read loop is turned into an error so the caller can restart the server.
func (s *Server) Serve(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("udpsrv: panic in read loop: %v", r)
		}
	}()
	stop := context.AfterFunc(ctx, func() { _ = s.pc.Close() })
	defer stop()

	s.startWorkers()
	go s.reapLoop(ctx) // HAZ goroutine-outside-recover

	err = s.readLoop(ctx)
	close(s.inbound) // ok: readLoop was the only sender and has returned
	s.wg.Wait()
	return err
}

func (s *Server) startWorkers() {
	if s.cfg.Serial {
		s.wg.Add(1)
		go s.processSerial()
		return
	}
	for i := 0; i < s.cfg.Workers; i++ {
		s.wg.Add(1)
		go s.worker()
	}
}

func (s *Server) readLoop(ctx context.Context) error {
	for {
		buf := s.getBuf()
		n, addr, err := s.pc.ReadFrom(buf)
		if err != nil {
			s.putBuf(buf)
			if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		select {
		case s.inbound <- &packet{addr: addr, buf: buf, n: n, at: time.Now()}:
		default:
			s.dropped.Add(1)
			s.putBuf(buf)
		}
	}
}

func (s *Server) worker() {
	defer s.wg.Done()
	for pkt := range s.inbound {
		s.handle(pkt)
	}
}

// processSerial handles packets one at a time in arrival order.
func (s *Server) processSerial() {
	defer s.wg.Done()
	for pkt := range s.inbound {
		defer s.putBuf(pkt.buf) // HAZ defer-in-infinite-loop
		s.recoverDispatch(pkt)
	}
}

func (s *Server) handle(pkt *packet) {
	defer s.putBuf(pkt.buf)
	s.recoverDispatch(pkt)
}

func (s *Server) recoverDispatch(pkt *packet) {
	defer s.recoverPacket(pkt)
	s.dispatch(pkt)
}

// recoverPacket is deferred directly, so its recover stops a handler panic.
func (s *Server) recoverPacket(pkt *packet) {
	if r := recover(); r != nil {
		s.logf("udpsrv: panic handling packet from %s: %v", pkt.addr, r)
	}
}

func (s *Server) dispatch(pkt *packet) {
	data := pkt.data()
	if len(data) == 0 {
		return
	}
	key := pkt.addr.String()
	sess := s.session(key)
	switch data[0] {
	case kindHello:
		if sess != nil {
			return // retransmitted hello
		}
		if err := s.admit(pkt, data[1:]); err != nil {
			s.logf("udpsrv: rejecting %s: %v", key, err)
		}
	case kindData:
		if sess == nil {
			return
		}
		sess.touch(pkt.at, len(data))
		reply, err := s.handler.HandlePacket(sess, data[1:])
		if err != nil {
			s.logf("udpsrv: session %d: %v", sess.ID, err)
			return
		}
		if reply != nil {
			_, _ = s.pc.WriteTo(append([]byte{kindData}, reply...), pkt.addr)
		}
	case kindAck:
		if sess != nil && len(data) >= 5 {
			seq := uint32(data[1])<<24 | uint32(data[2])<<16 | uint32(data[3])<<8 | uint32(data[4])
			sess.Ack(seq, pkt.at)
		}
	case kindBye:
		if sess != nil {
			s.removeSession(key)
			sess.close()
			s.fire(EventLeave, sess)
		}
	}
}

func (s *Server) session(key string) *Session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sessions[key]
}

func (s *Server) removeSession(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, key)
}

// hookOrNoop returns the registered hook for ev or a function that does
// nothing, so callers can defer it unconditionally.
func (s *Server) hookOrNoop(ev Event) func(*Session) {
	if fn := s.hooks[ev]; fn != nil {
		return fn
	}
	return func(*Session) {}
}

func (s *Server) fire(ev Event, sess *Session) {
	if fn := s.hooks[ev]; fn != nil {
		fn(sess)
	}
}

func (s *Server) admit(pkt *packet, token []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.VerifyTimeout)
	defer cancel()
	id, err := s.verify(ctx, bytes.Clone(token))
	if err != nil {
		return err
	}
	sess := newSession(id, pkt.addr, pkt.at)
	joined := s.hookOrNoop(EventJoin)
	if !s.insertSession(pkt.addr.String(), sess) {
		return errors.New("duplicate hello")
	}
	defer joined(sess) // ok: hookOrNoop never returns nil
	s.logf("udpsrv: player %d joined from %s", id, pkt.addr)
	return nil
}

func (s *Server) insertSession(key string, sess *Session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.sessions[key]; exists {
		return false
	}
	s.sessions[key] = sess
	return true
}

type verifyResult struct {
	id  PlayerID
	err error
}

// verify asks the verifier about token, giving up when ctx expires.
func (s *Server) verify(ctx context.Context, token []byte) (PlayerID, error) {
	res := make(chan verifyResult)
	go func() { // HAZ goroutine-blocked-send
		id, err := s.verifier.Verify(token)
		res <- verifyResult{id: id, err: err}
	}()
	select {
	case r := <-res:
		return r.id, r.err
	case <-ctx.Done():
		return 0, fmt.Errorf("verify: %w", ctx.Err())
	}
}

// Kick drops the session for addr and tells the client why.
func (s *Server) Kick(addr, reason string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sess, ok := s.sessions[addr]
	if !ok {
		return false
	}
	_, _ = s.pc.WriteTo(append([]byte{kindKick}, reason...), sess.addr)
	s.removeSession(addr) // HAZ lock-reentry-under-defer
	sess.close()
	return true
}

// Broadcast sends payload to every session.
func (s *Server) Broadcast(payload []byte) int {
	msg := append([]byte{kindData}, payload...)
	s.mu.RLock()
	defer s.mu.RUnlock()
	sent := 0
	for _, sess := range s.sessions {
		if _, err := s.pc.WriteTo(msg, sess.addr); err == nil {
			sent++
		}
	}
	return sent
}

// Sessions returns a snapshot of all sessions.
func (s *Server) Sessions() []SessionInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]SessionInfo, 0, len(s.sessions))
	for _, sess := range s.sessions {
		out = append(out, sess.Info())
	}
	return out
}

func (s *Server) reapLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.ReapInterval)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			s.reap(now)
		case <-ctx.Done():
			return
		}
	}
}

func (s *Server) reap(now time.Time) {
	var expired []*Session
	s.mu.Lock()
	for key, sess := range s.sessions {
		if sess.idle(now) > s.cfg.SessionTimeout {
			delete(s.sessions, key)
			expired = append(expired, sess)
		}
	}
	s.mu.Unlock()

	for _, sess := range expired {
		s.expire(sess)
	}
}

func (s *Server) expire(sess *Session) {
	hook := s.hooks[EventExpire]
	defer hook(sess) // HAZ defer-nil-func
	sess.close()
	s.logf("udpsrv: session %d (%s) timed out", sess.ID, sess.addr)
}
