package serving

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/metrics"
)

const idleTimeout = 2 * time.Minute

var (
	errServerClosed = errors.New("serving: server closed")
	errTooManyConns = errors.New("serving: too many connections")
)

// Loader fetches a value the cache does not hold, from the offline store.
type Loader func(ctx context.Context, key string) (value []byte, version int64, err error)

// Server answers GET/PUT/INVALIDATE frames from the cache.
type Server struct {
	store      *cache.Store
	load       Loader
	metrics    *metrics.Registry
	peers      []string
	maxConns   int
	reqTimeout time.Duration

	// OnDisconnect is called after a connection is dropped, with the error
	// that ended it (nil for a clean close). Optional.
	OnDisconnect func(c net.Conn, reason error)

	mu      sync.Mutex // serialises admission and guards ln
	ln      net.Listener
	conns   sync.Map // net.Conn -> struct{}
	nconns  atomic.Int64
	closing atomic.Bool
	wg      sync.WaitGroup
}

// NewServer returns a server over store. load may be nil (cache-only).
func NewServer(store *cache.Store, load Loader, m *metrics.Registry, peers []string) *Server {
	return &Server{
		store:      store,
		load:       load,
		metrics:    m,
		peers:      peers,
		maxConns:   4096,
		reqTimeout: 50 * time.Millisecond,
	}
}

// Serve accepts connections until ln is closed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	var delay time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			log.Printf("serving: accept: %v; retrying in %s", err, delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		if err := s.register(conn); err != nil {
			_ = WriteFrame(conn, errorFrame(0, err))
			_ = conn.Close()
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(conn)
		}()
	}
}

func (s *Server) register(c net.Conn) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.closing.Load() {
		return errServerClosed
	}
	if s.maxConns > 0 && int(s.nconns.Load()) >= s.maxConns {
		s.mu.Unlock()
		return errTooManyConns
	}
	s.nconns.Add(1)
	s.conns.Store(c, struct{}{})
	s.mu.Unlock()
	return nil
}

func (s *Server) dropConn(c net.Conn, reason error) {
	defer s.OnDisconnect(c, reason) // HAZ defer-nil-func
	if _, loaded := s.conns.LoadAndDelete(c); loaded {
		s.nconns.Add(-1)
	}
	_ = c.Close()
	if reason != nil {
		s.metrics.Inc("serving.conn_errors", 1)
	}
}

func (s *Server) serveConn(conn net.Conn) {
	var reason error
	defer func() { s.dropConn(conn, reason) }()
	defer s.recoverConn(conn)
	br := bufio.NewReader(conn)
	bw := bufio.NewWriter(conn)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(idleTimeout))
		req, err := ReadFrame(br)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				reason = err
			}
			return
		}
		if req.Op == OpBye {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.reqTimeout)
		resp := s.dispatch(ctx, req)
		cancel()
		if err := WriteFrame(bw, resp); err != nil {
			reason = err
			return
		}
		if br.Buffered() == 0 {
			if err := bw.Flush(); err != nil {
				reason = err
				return
			}
		}
	}
}

// recoverConn is deferred by serveConn: a panic while serving one connection
// is logged and ends that connection only.
func (s *Server) recoverConn(conn net.Conn) {
	if r := recover(); r != nil {
		log.Printf("serving: panic on %s: %v\n%s", conn.RemoteAddr(), r, debug.Stack())
		s.metrics.Inc("serving.panics", 1)
	}
}

func (s *Server) dispatch(ctx context.Context, req Frame) Frame {
	var (
		resp Frame
		err  error
	)
	switch req.Op {
	case OpGet:
		resp, err = s.handleGet(ctx, req)
	case OpPut:
		resp, err = s.handlePut(req)
	case OpPing:
		resp = Frame{Op: OpPing, ID: req.ID}
	case OpInvalidate:
		resp, err = s.handleInvalidate(req)
	case OpPeerInvalidate:
		resp = s.handlePeerInvalidate(req)
	default:
		err = fmt.Errorf("serving: unknown op %d", req.Op)
	}
	if err != nil {
		s.metrics.Inc("serving.errors", 1)
		return errorFrame(req.ID, err)
	}
	return resp
}

func (s *Server) handleGet(ctx context.Context, req Frame) (Frame, error) {
	key := string(req.Payload)
	if v, ok := s.store.Get(key); ok {
		return Frame{Op: OpGet, ID: req.ID, Payload: v}, nil
	}
	if s.load == nil {
		return Frame{}, cache.ErrNotFound
	}
	type loaded struct {
		value   []byte
		version int64
		err     error
	}
	ch := make(chan loaded)
	go func() {
		v, ver, err := s.load(ctx, key)
		ch <- loaded{v, ver, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return Frame{}, r.err
		}
		s.store.Put(key, r.value, r.version)
		return Frame{Op: OpGet, ID: req.ID, Payload: r.value}, nil
	case <-ctx.Done():
		s.metrics.Inc("serving.load_timeouts", 1)
		return Frame{}, ctx.Err()
	}
}

func (s *Server) handlePut(req Frame) (Frame, error) {
	key, value, version, err := decodePut(req.Payload)
	if err != nil {
		return Frame{}, err
	}
	if !s.store.Put(key, value, version) {
		return Frame{}, fmt.Errorf("serving: %s: version %d is stale", key, version)
	}
	return Frame{Op: OpPut, ID: req.ID}, nil
}

// handleInvalidate drops the listed keys and tells the peers to do the same.
func (s *Server) handleInvalidate(req Frame) (resp Frame, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.metrics.Inc("serving.panics", 1)
			err = fmt.Errorf("serving: invalidate: %v", r)
		}
	}()
	keys := strings.Fields(string(req.Payload))
	n := s.dropKeys(keys)
	go s.notifyPeers(keys) // HAZ goroutine-outside-recover
	return Frame{Op: OpInvalidate, ID: req.ID, Payload: []byte(strconv.Itoa(n))}, nil
}

func (s *Server) handlePeerInvalidate(req Frame) Frame {
	n := s.dropKeys(strings.Fields(string(req.Payload)))
	return Frame{Op: OpPeerInvalidate, ID: req.ID, Payload: []byte(strconv.Itoa(n))}
}

func (s *Server) dropKeys(keys []string) int {
	n := 0
	for _, k := range keys {
		if s.store.Delete(k) {
			n++
		}
	}
	return n
}

func (s *Server) notifyPeers(keys []string) {
	payload := []byte(strings.Join(keys, "\n"))
	for _, addr := range s.peers {
		func() {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err != nil {
				log.Printf("serving: invalidate peer %s: %v", addr, err)
				return
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
			if err := WriteFrame(conn, Frame{Op: OpPeerInvalidate, Payload: payload}); err != nil {
				log.Printf("serving: invalidate peer %s: %v", addr, err)
			}
		}()
	}
}

// Shutdown stops accepting, wakes idle connections and waits for the
// handlers to finish, or for ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing.Store(true)
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
	s.conns.Range(func(k, _ any) bool {
		_ = k.(net.Conn).SetReadDeadline(time.Now())
		return true
	})
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.closeAll()
		return ctx.Err()
	}
}

func (s *Server) closeAll() {
	s.conns.Range(func(k, _ any) bool {
		_ = k.(net.Conn).Close()
		return true
	})
}

func (s *Server) drain() {
	s.closeAll()
	s.wg.Wait()
}

// ServeUntil serves ln until ctx is done, then closes every connection.
func (s *Server) ServeUntil(ctx context.Context, ln net.Listener) error {
	defer s.drain() // HAZ defer-blocking-call
	stop := context.AfterFunc(ctx, func() {
		s.closing.Store(true)
		_ = ln.Close()
	})
	defer stop()
	return s.Serve(ln)
}

// PingPeers measures the round trip to every peer concurrently. Peers that
// cannot be reached are left out of the result.
func (s *Server) PingPeers(ctx context.Context) map[string]time.Duration {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		rtt = make(map[string]time.Duration, len(s.peers))
	)
	for _, addr := range s.peers {
		wg.Add(1)
		go func() {
			c, err := Dial(addr, time.Second)
			if err != nil {
				log.Printf("serving: ping %s: %v", addr, err)
				return
			}
			defer c.Close()
			d, err := c.Ping(ctx)
			if err == nil {
				mu.Lock()
				rtt[addr] = d
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return rtt
}

// opHooks observe served ops; debug builds and tests register them.
var opHooks = map[uint8]func(Frame){}

// Handle serves one request in-process, for embedding the server in another
// binary without a TCP hop.
func (s *Server) Handle(ctx context.Context, req Frame) Frame {
	defer opHooks[req.Op](req) // HAZ defer-nil-func
	return s.dispatch(ctx, req)
}
