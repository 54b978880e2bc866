package rpc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrServerStopped is returned by Serve after Stop.
var ErrServerStopped = errors.New("rpc: server stopped")

// MethodDesc describes a unary method.
type MethodDesc struct {
	Name    string
	Handler func(srv any, ctx context.Context, dec func(any) error, ic UnaryServerInterceptor) (any, error)
}

// StreamDesc describes a streaming method.
type StreamDesc struct {
	Name          string
	Handler       StreamHandler
	ServerStreams bool
	ClientStreams bool
}

// ServiceDesc describes a service.
type ServiceDesc struct {
	Name    string
	Methods []MethodDesc
	Streams []StreamDesc
}

type serviceInfo struct {
	impl    any
	methods map[string]*MethodDesc
	streams map[string]*StreamDesc
}

type serverOptions struct {
	unary       UnaryServerInterceptor
	stream      StreamServerInterceptor
	logger      *log.Logger
	codec       Codec
	maxRecv     int
	connTimeout time.Duration
	onStop      []func()
}

// ServerOption configures a Server.
type ServerOption func(*serverOptions)

// WithUnaryInterceptor installs a chain of unary interceptors.
func WithUnaryInterceptor(ints ...UnaryServerInterceptor) ServerOption {
	return func(o *serverOptions) { o.unary = ChainUnaryInterceptors(ints...) }
}

// WithStreamInterceptor installs a chain of stream interceptors.
func WithStreamInterceptor(ints ...StreamServerInterceptor) ServerOption {
	return func(o *serverOptions) { o.stream = ChainStreamInterceptors(ints...) }
}

// WithLogger sets the server's logger.
func WithLogger(l *log.Logger) ServerOption {
	return func(o *serverOptions) { o.logger = l }
}

// OnStop registers a hook run by Stop.
func OnStop(fn func()) ServerOption {
	return func(o *serverOptions) { o.onStop = append(o.onStop, fn) }
}

// Server serves registered services over stream connections.
type Server struct {
	opts serverOptions

	mu        sync.Mutex
	services  map[string]*serviceInfo
	listeners map[net.Listener]struct{}
	serving   bool
	stopped   bool

	conns    sync.Map // net.Conn -> struct{}
	connWG   sync.WaitGroup
	inflight atomic.Int64
	quit     chan struct{}
	quitOnce sync.Once
}

// NewServer returns a server with the given options.
func NewServer(opts ...ServerOption) *Server {
	o := serverOptions{logger: log.Default(), codec: jsonCodec{}, maxRecv: defaultMaxMB}
	for _, opt := range opts {
		opt(&o)
	}
	return &Server{
		opts:      o,
		services:  make(map[string]*serviceInfo),
		listeners: make(map[net.Listener]struct{}),
		quit:      make(chan struct{}),
	}
}

// RegisterService adds a service. It panics after Serve or on duplicates;
// the deferred unlock releases the mutex while the panic unwinds.
func (s *Server) RegisterService(sd *ServiceDesc, impl any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.serving {
		panic("rpc: RegisterService after Serve")
	}
	if _, dup := s.services[sd.Name]; dup {
		panic(fmt.Sprintf("rpc: duplicate service %q", sd.Name))
	}
	info := &serviceInfo{impl: impl, methods: map[string]*MethodDesc{}, streams: map[string]*StreamDesc{}}
	for i := range sd.Methods {
		md := &sd.Methods[i]
		info.methods[md.Name] = md
	}
	for i := range sd.Streams {
		st := &sd.Streams[i]
		info.streams[st.Name] = st
	}
	s.services[sd.Name] = info
}

// Serve accepts connections until the listener fails or Stop is called.
func (s *Server) Serve(lis net.Listener) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		lis.Close()
		return ErrServerStopped
	}
	s.serving = true
	s.listeners[lis] = struct{}{}
	s.mu.Unlock()

	var tempDelay time.Duration
	for {
		conn, err := lis.Accept()
		if err != nil {
			select {
			case <-s.quit:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				tempDelay = nextDelay(tempDelay)
				s.opts.logger.Printf("rpc: accept error: %v; retrying in %v", err, tempDelay)
				time.Sleep(tempDelay)
				continue
			}
			s.forgetListener(lis)
			return err
		}
		tempDelay = 0
		s.connWG.Add(1)
		go func() {
			defer s.connWG.Done()
			s.serveConn(conn)
		}()
	}
}

func nextDelay(d time.Duration) time.Duration {
	if d == 0 {
		return 5 * time.Millisecond
	}
	if d *= 2; d > time.Second {
		d = time.Second
	}
	return d
}

func (s *Server) forgetListener(lis net.Listener) {
	s.mu.Lock()
	delete(s.listeners, lis)
	s.mu.Unlock()
}

// serveConn serves the single call carried by conn.
func (s *Server) serveConn(conn net.Conn) {
	s.conns.Store(conn, struct{}{})
	defer s.conns.Delete(conn)
	defer conn.Close()
	if d := s.opts.connTimeout; d > 0 {
		_ = conn.SetDeadline(time.Now().Add(d))
	}
	br := bufio.NewReader(conn)
	bw := bufio.NewWriter(conn)
	_, name, err := readMsg(br, 1024)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			s.opts.logger.Printf("rpc: reading method from %s: %v", conn.RemoteAddr(), err)
		}
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := newServerStream(ctx, br, bw, s.opts.codec, s.opts.maxRecv)
	callErr := s.dispatch(st, string(name))
	if err := st.finish(callErr); err != nil {
		s.opts.logger.Printf("rpc: writing trailer to %s: %v", conn.RemoteAddr(), err)
	}
}

func (s *Server) dispatch(st *serverStream, full string) error {
	svc, name, ok := splitMethod(full)
	if !ok {
		return Errorf(Unimplemented, "malformed method name %q", full)
	}
	info := s.service(svc)
	if info == nil {
		return Errorf(Unimplemented, "unknown service %s", svc)
	}
	if md, ok := info.methods[name]; ok {
		return s.processUnary(st, info, md, full)
	}
	if sd, ok := info.streams[name]; ok {
		return s.processStream(st, info, sd, full)
	}
	return Errorf(Unimplemented, "unknown method %s for service %s", name, svc)
}

func (s *Server) service(name string) *serviceInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.services[name]
}

// processUnary runs a unary handler; recoverTo is deferred directly and
// trackInflight's cleanup is called through defer f()().
func (s *Server) processUnary(st *serverStream, info *serviceInfo, md *MethodDesc, full string) (err error) {
	defer recoverTo(s.opts.logger, full, &err)
	defer s.trackInflight(full)()
	dec := func(v any) error { return st.RecvMsg(v) }
	resp, err := md.Handler(info.impl, st.Context(), dec, s.opts.unary)
	if err != nil {
		return err
	}
	return st.SendMsg(resp)
}

// processStream runs a streaming handler.
func (s *Server) processStream(st *serverStream, info *serviceInfo, sd *StreamDesc, full string) (err error) {
	defer recoverTo(s.opts.logger, full, &err)
	defer s.trackInflight(full) // HAZ defer-func-result-not-called
	ssi := &StreamServerInfo{FullMethod: full, IsClientStream: sd.ClientStreams, IsServerStream: sd.ServerStreams}
	if s.opts.stream != nil {
		return s.opts.stream(info.impl, st, ssi, sd.Handler)
	}
	return sd.Handler(info.impl, st)
}

// trackInflight counts a call and returns the function that uncounts it.
func (s *Server) trackInflight(method string) func() {
	s.inflight.Add(1)
	return func() { s.inflight.Add(-1) }
}

// Inflight reports the number of calls being served.
func (s *Server) Inflight() int64 { return s.inflight.Load() }

func splitMethod(full string) (service, method string, ok bool) {
	full = strings.TrimPrefix(full, "/")
	service, method, ok = strings.Cut(full, "/")
	return service, method, ok && service != "" && method != ""
}

func (s *Server) closeListeners() {
	s.mu.Lock()
	s.stopped = true
	for lis := range s.listeners {
		lis.Close()
	}
	s.listeners = nil
	s.mu.Unlock()
}

// runHook runs one OnStop hook, logging a panic instead of crashing Stop.
func (s *Server) runHook(i int, fn func()) {
	defer func() { logPanic(s.opts.logger, fmt.Sprintf("stop hook %d", i)) }()
	fn()
}

// Stop closes listeners and connections and waits for connection goroutines.
func (s *Server) Stop() {
	s.quitOnce.Do(func() { close(s.quit) })
	s.closeListeners()
	s.conns.Range(func(k, _ any) bool {
		k.(net.Conn).Close()
		return true
	})
	s.connWG.Wait()
	for i, fn := range s.opts.onStop {
		s.runHook(i, fn)
	}
}

// GracefulStop stops accepting and waits for calls to finish, or for ctx,
// after which it falls back to Stop. The waiter goroutine only closes a
// channel, so it cannot be left blocked.
func (s *Server) GracefulStop(ctx context.Context) error {
	s.quitOnce.Do(func() { close(s.quit) })
	s.closeListeners()
	done := make(chan struct{})
	go func() {
		s.connWG.Wait()
		close(done)
	}()
	select {
	case <-done:
		for i, fn := range s.opts.onStop {
			s.runHook(i, fn)
		}
		return nil
	case <-ctx.Done():
		s.Stop()
		return ctx.Err()
	}
}
