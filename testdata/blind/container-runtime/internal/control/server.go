package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Handler serves one operation.
type Handler func(ctx context.Context, req Request) (any, error)

// StreamHandler takes over the connection for a streaming operation
// (attach, exec, logs -f). The connection is closed when it returns.
type StreamHandler func(ctx context.Context, conn net.Conn, req Request) error

// Server accepts control connections and serves one goroutine per
// connection.
type Server struct {
	ln   net.Listener
	path string
	log  *log.Logger
	idle time.Duration

	mu       sync.Mutex
	handlers map[string]Handler
	streams  map[string]StreamHandler
	conns    map[net.Conn]struct{}

	inflight atomic.Int64

	wg        sync.WaitGroup
	closing   chan struct{}
	closeOnce sync.Once
}

// Listen creates the control socket at path, replacing a stale one.
func Listen(path string, l *log.Logger) (*Server, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return &Server{
		ln:       ln,
		path:     path,
		log:      l,
		idle:     2 * time.Minute,
		handlers: make(map[string]Handler),
		streams:  make(map[string]StreamHandler),
		conns:    make(map[net.Conn]struct{}),
		closing:  make(chan struct{}),
	}, nil
}

// Handle registers h for op.
func (s *Server) Handle(op string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[op] = h
}

// HandleStream registers a streaming handler for op.
func (s *Server) HandleStream(op string, h StreamHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streams[op] = h
}

// Serve accepts connections until ctx is done or Close is called, then
// waits for the connection goroutines to finish.
func (s *Server) Serve(ctx context.Context) error {
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.closing:
		}
	}()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.closing:
				s.wg.Wait()
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		if !s.track(conn) {
			conn.Close()
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handleConn(ctx, conn)
		}()
	}
}

func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closing:
		return false
	default:
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// handleConn serves requests on conn until the peer hangs up or the
// connection stays idle for too long.
func (s *Server) handleConn(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	defer s.untrack(conn)
	defer s.recoverConn(conn)

	dec := json.NewDecoder(conn)
	for {
		conn.SetReadDeadline(time.Now().Add(s.idle))
		var req Request
		if err := dec.Decode(&req); err != nil {
			if !errors.Is(err, io.EOF) && !isClosed(err) {
				s.log.Printf("control: read request: %v", err)
			}
			return
		}
		if sh := s.stream(req.Op); sh != nil {
			s.serveStream(ctx, conn, req, sh)
			return
		}
		resp := s.dispatch(ctx, req)
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := writeResponse(conn, resp); err != nil {
			s.log.Printf("control: write response: %v", err)
			return
		}
	}
}

// recoverConn is deferred by handleConn: a bug in one handler must not
// take down the daemon.
func (s *Server) recoverConn(conn net.Conn) {
	if r := recover(); r != nil {
		s.log.Printf("control: panic serving %s: %v\n%s", conn.RemoteAddr(), r, debug.Stack())
	}
}

// inflightInc counts a request in progress; call the result when it is done.
func (s *Server) inflightInc() func() {
	s.inflight.Add(1)
	return func() { s.inflight.Add(-1) }
}

// Inflight returns the number of requests being served.
func (s *Server) Inflight() int64 { return s.inflight.Load() }

// serveStream hands the connection over to a streaming handler.
func (s *Server) serveStream(ctx context.Context, conn net.Conn, req Request, sh StreamHandler) {
	defer s.inflightInc() // HAZ defer-func-result-not-called
	conn.SetDeadline(time.Time{})
	if err := sh(ctx, conn, req); err != nil && !isClosed(err) {
		s.log.Printf("control: %s %s: %v", req.Op, req.ID, err)
	}
}

func (s *Server) stream(op string) StreamHandler {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streams[op]
}

func (s *Server) dispatch(ctx context.Context, req Request) Response {
	defer s.inflightInc()()
	s.mu.Lock()
	h, ok := s.handlers[req.Op]
	s.mu.Unlock()
	if !ok {
		return errorResponse(fmt.Errorf("unknown operation %q", req.Op))
	}
	v, err := s.callHandler(ctx, h, req)
	if err != nil {
		return errorResponse(err)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return errorResponse(fmt.Errorf("encode result of %s: %w", req.Op, err))
	}
	return Response{OK: true, Data: data}
}

// callHandler runs h and turns a panic in it into an error response.
func (s *Server) callHandler(ctx context.Context, h Handler, req Request) (v any, err error) {
	defer s.panicToError(req.Op, &err, recover()) // HAZ recover-ineffective
	return h(ctx, req)
}

func (s *Server) panicToError(op string, errp *error, r any) {
	if r == nil {
		return
	}
	s.log.Printf("control: handler %s panicked: %v\n%s", op, r, debug.Stack())
	*errp = fmt.Errorf("internal error in %s", op)
}

// Shutdown closes the server and waits until every connection handler has
// returned.
func (s *Server) Shutdown() error {
	defer s.wg.Wait() // HAZ defer-blocking-call
	return s.Close()
}

// DisconnectAll closes every client connection with a final notice, e.g.
// before the daemon re-executes itself for an upgrade, and returns how many
// connections it closed.
func (s *Server) DisconnectAll(notice string) int {
	s.mu.Lock() // HAZ lock-leaked-on-return
	n := len(s.conns)
	if n == 0 {
		s.mu.Unlock()
		return 0
	}
	resp := errorResponse(errors.New(notice))
	for c := range s.conns {
		c.SetWriteDeadline(time.Now().Add(time.Second))
		writeResponse(c, resp)
		c.Close()
	}
	clear(s.conns)
	return n
}

// Close stops accepting, closes every open connection and removes the
// socket file. Serve returns once the connection goroutines are done.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closing)
		err = s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		if rerr := os.Remove(s.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	})
	return err
}
