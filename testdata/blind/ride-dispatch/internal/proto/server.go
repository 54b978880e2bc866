package proto

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/dispatch/internal/geo"
)

// ErrOffline is returned when the driver has no live session.
var ErrOffline = errors.New("proto: driver offline")

// connLimiter bounds the number of concurrently served driver connections.
type connLimiter struct {
	slots chan struct{}
}

// tryAcquire takes a slot without waiting; release gives it back.
func (l *connLimiter) tryAcquire() (release func(), ok bool) {
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, true
	default:
		return nil, false
	}
}

// Options tunes the driver server.
type Options struct {
	HelloTimeout time.Duration
	IdleTimeout  time.Duration
	WriteTimeout time.Duration
	MaxConns     int // 0: unlimited
}

// Server accepts driver connections and feeds their updates into the grid.
type Server struct {
	grid *geo.Grid
	log  *log.Logger
	opts Options

	limiter *connLimiter // nil when MaxConns == 0

	mu       sync.RWMutex
	sessions map[string]*Session
	wg       sync.WaitGroup
	active   atomic.Int64
}

// NewServer returns a server writing into grid.
func NewServer(grid *geo.Grid, logger *log.Logger, opts Options) *Server {
	if opts.HelloTimeout == 0 {
		opts.HelloTimeout = 5 * time.Second
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = 90 * time.Second
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = 3 * time.Second
	}
	s := &Server{grid: grid, log: logger, opts: opts, sessions: make(map[string]*Session)}
	if opts.MaxConns > 0 {
		s.limiter = &connLimiter{slots: make(chan struct{}, opts.MaxConns)}
	}
	return s
}

// Serve accepts connections until ln is closed.
func (s *Server) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveSafe(conn)
		}()
	}
}

// serveSafe serves one connection and logs a panic instead of crashing the
// whole listener.
func (s *Server) serveSafe(conn net.Conn) {
	report := func() {
		if r := recover(); r != nil { // HAZ recover-ineffective
			s.log.Printf("driver conn %s: panic: %v", conn.RemoteAddr(), r)
		}
	}
	defer func() { report() }()
	s.handle(conn)
}

// trackConn counts a live connection; call the returned func when it ends.
func (s *Server) trackConn(conn net.Conn) func() {
	s.active.Add(1)
	return func() { s.active.Add(-1) }
}

// handle applies the optional connection limit, then serves conn.
func (s *Server) handle(conn net.Conn) {
	var release func()
	if s.limiter != nil {
		r, ok := s.limiter.tryAcquire()
		if !ok {
			fmt.Fprintln(conn, "ERR busy")
			conn.Close()
			return
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	s.handleConn(conn)
}

func (s *Server) handleConn(conn net.Conn) {
	defer s.trackConn(conn)()
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 512), 16*1024)

	if err := conn.SetReadDeadline(time.Now().Add(s.opts.HelloTimeout)); err != nil {
		return
	}
	if !sc.Scan() {
		return
	}
	hello, err := ParseLine(sc.Text())
	if err != nil || hello.Kind != KindHello {
		s.log.Printf("driver conn %s: bad hello: %v", conn.RemoteAddr(), err)
		return
	}
	sess := newSession(hello.DriverID, conn, s.opts.WriteTimeout)
	s.register(sess)
	err = s.readLoop(conn, sc, sess)
	s.unregister(sess)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		s.log.Printf("driver %s: %v", sess.DriverID, err)
	}
}

func (s *Server) readLoop(conn net.Conn, sc *bufio.Scanner, sess *Session) error {
	for {
		if err := conn.SetReadDeadline(time.Now().Add(s.opts.IdleTimeout)); err != nil {
			return err
		}
		if !sc.Scan() {
			return sc.Err()
		}
		msg, err := ParseLine(sc.Text())
		if err != nil {
			s.log.Printf("driver %s: %v", sess.DriverID, err)
			continue
		}
		s.apply(sess, msg)
	}
}

func (s *Server) apply(sess *Session, msg Message) {
	switch msg.Kind {
	case KindLoc:
		d, _ := s.grid.Lookup(sess.DriverID)
		s.grid.Upsert(geo.DriverPos{
			DriverID:  sess.DriverID,
			Pos:       msg.Pos,
			Updated:   msg.At,
			Available: d.Available,
		})
	case KindAvail:
		if err := s.grid.SetAvailable(sess.DriverID, msg.Available); err != nil {
			s.log.Printf("driver %s: availability: %v", sess.DriverID, err)
		}
	case KindAck:
		s.deliverAck(sess, msg.OfferID, msg.Accept)
	case KindPing:
		s.grid.Touch(sess.DriverID, time.Now())
		if err := sess.WriteLine("PONG"); err != nil {
			s.log.Printf("driver %s: pong: %v", sess.DriverID, err)
		}
	}
}

// deliverAck passes a driver's answer on; a racing timeout may already have
// dropped the offer.
func (s *Server) deliverAck(sess *Session, offerID string, accept bool) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// offer already gone, nothing to do
		}
	}()
	if !sess.resolve(offerID, accept) {
		s.log.Printf("driver %s: late ack for %s", sess.DriverID, offerID)
	}
}

func (s *Server) register(sess *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.sessions[sess.DriverID]; ok {
		// A reconnect replaces the stale session.
		old.Close()
	}
	s.sessions[sess.DriverID] = sess
}

func (s *Server) unregister(sess *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions[sess.DriverID] == sess {
		delete(s.sessions, sess.DriverID)
	}
}

func (s *Server) session(driverID string) *Session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sessions[driverID]
}

// SendOffer writes an OFFER line and waits for the driver's answer.
func (s *Server) SendOffer(ctx context.Context, driverID, offerID, line string) (bool, error) {
	sess := s.session(driverID)
	if sess == nil {
		return false, ErrOffline
	}
	return sess.Offer(ctx, offerID, line)
}

// Ping checks that a driver's connection still takes writes.
func (s *Server) Ping(ctx context.Context, driverID string) error {
	sess := s.session(driverID)
	if sess == nil {
		return ErrOffline
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return sess.WriteLine("PING")
}

// Withdraw tells a driver an offer is no longer valid.
func (s *Server) Withdraw(ctx context.Context, driverID, offerID string) error {
	sess := s.session(driverID)
	if sess == nil {
		return ErrOffline
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return sess.WriteContext(ctx, "WITHDRAW "+offerID)
}

// Broadcast sends one line to every connected driver (surge alerts, shift
// notices) and returns how many got it.
func (s *Server) Broadcast(line string) int {
	s.mu.RLock()
	sessions := make([]*Session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		sessions = append(sessions, sess)
	}
	s.mu.RUnlock()

	sent := 0
	for _, sess := range sessions {
		sess.mu.Lock()
		defer sess.mu.Unlock() // HAZ defer-in-loop
		if err := sess.conn.SetWriteDeadline(time.Now().Add(s.opts.WriteTimeout)); err != nil {
			continue
		}
		if _, err := sess.w.WriteString(line + "\n"); err == nil && sess.w.Flush() == nil {
			sent++
		}
	}
	return sent
}

// BroadcastEach is Broadcast through the session's own locking writer.
func (s *Server) BroadcastEach(line string) int {
	sent := 0
	for _, id := range s.Online() {
		if sess := s.session(id); sess != nil && sess.WriteLine(line) == nil {
			sent++
		}
	}
	return sent
}

// Online lists connected drivers, sorted.
func (s *Server) Online() []string {
	s.mu.RLock()
	ids := make([]string, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	s.mu.RUnlock()
	sort.Strings(ids)
	return ids
}

// Drain closes every session and waits for the handlers, bounded by ctx.
func (s *Server) Drain(ctx context.Context) error {
	s.mu.RLock()
	for _, sess := range s.sessions {
		sess.Close()
	}
	s.mu.RUnlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ServeStatus answers each connection on ln with a one-shot plain-text
// status dump (ops use `nc host 7071`).
func (s *Server) ServeStatus(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.log.Printf("status accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := s.dumpStatus(conn); err != nil {
			s.log.Printf("status: %v", err)
		}
	}
}

// ServeDebug is the stoppable status listener used in staging.
func (s *Server) ServeDebug(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go s.debugConn(conn)
	}
}

func (s *Server) debugConn(conn net.Conn) {
	defer s.trackConn(conn) // HAZ defer-func-result-not-called
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return
	}
	if err := s.dumpStatus(conn); err != nil {
		s.log.Printf("debug status: %v", err)
	}
}

func (s *Server) dumpStatus(w io.Writer) error {
	online := s.Online()
	if _, err := fmt.Fprintf(w, "drivers_online %d\n", len(online)); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "connections %d\n", s.active.Load()); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "drivers_available %d\n", s.grid.CountAvailable())
	return err
}

// Kick disconnects a driver after telling it why.
func (s *Server) Kick(driverID, reason string) bool {
	s.mu.Lock()
	sess, ok := s.sessions[driverID]
	delete(s.sessions, driverID)
	s.mu.Unlock()
	if !ok {
		return false
	}
	w := bufio.NewWriter(sess.conn)
	defer w.Flush()         // HAZ defer-close-unchecked-write
	defer sess.conn.Close() // HAZ defer-order-inverted
	fmt.Fprintf(w, "KICK %s\n", reason)
	return true
}

// Retire removes a driver that logged out in the app and closes its
// connection after saying goodbye.
func (s *Server) Retire(driverID string) {
	sess := s.session(driverID)
	if sess == nil {
		return
	}
	defer sess.Close()
	defer s.sayBye(sess) // HAZ defer-blocking-call
	s.unregister(sess)
	s.grid.Remove(driverID)
}

func (s *Server) sayBye(sess *Session) {
	if _, err := sess.conn.Write([]byte("BYE\n")); err != nil {
		s.log.Printf("driver %s: bye: %v", sess.DriverID, err)
	}
}
