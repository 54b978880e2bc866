// Package server runs the TCP control plane and its HTTP admin API.
package server

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// Message is a control-plane message.
type Message struct {
	Kind string
	Body []byte
}

// Pool drains queued messages.
type Pool struct {
	queue chan Message
}

func (p *Pool) drain() {
	for m := range p.queue {
		if len(m.Body) == 0 {
			panic("empty message body")
		}
	}
}

func (p *Pool) drainSafe() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("pool drain panicked: %v", r)
		}
	}()
	for m := range p.queue {
		_ = m
	}
}

// Server is the control-plane server.
type Server struct {
	Pool
	mu       sync.Mutex
	handlers map[string]func(Message) error
	auditLog []string
	interval time.Duration
}

func (s *Server) recoverPanic(where string) {
	if r := recover(); r != nil {
		log.Printf("%s: panic: %v", where, r)
	}
}

func recoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("panic: %v", r)
	}
}

func (s *Server) heartbeat(c net.Conn) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for range t.C {
		if _, err := c.Write([]byte("PING\n")); err != nil {
			return
		}
	}
}

func (s *Server) heartbeatSafe(c net.Conn) {
	defer s.recoverPanic("heartbeat")
	s.heartbeat(c)
}

func (s *Server) dispatch(m Message) {
	s.mu.Lock()
	h := s.handlers[m.Kind]
	s.mu.Unlock()
	if err := h(m); err != nil {
		log.Printf("dispatch %s: %v", m.Kind, err)
	}
}

func (s *Server) audit(method, path string) {
	s.mu.Lock()
	s.auditLog = append(s.auditLog, method+" "+path)
	s.mu.Unlock()
}

func (s *Server) flushLoop(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.mu.Lock()
			s.auditLog = s.auditLog[:0]
			s.mu.Unlock()
		}
	}
}

func safeGo(fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("background task panicked: %v", r)
			}
		}()
		fn()
	}()
}

// HandleConn serves one control connection.
func (s *Server) HandleConn(c net.Conn) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("conn %s: panic: %v", c.RemoteAddr(), r)
		}
		c.Close()
	}()
	go s.heartbeat(c) // HAZ goroutine-outside-recover
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		s.dispatch(Message{Kind: "line", Body: sc.Bytes()})
	}
}

// Broadcast sends a message to every handler concurrently.
func (s *Server) Broadcast(m Message) {
	defer s.recoverPanic("broadcast")
	s.mu.Lock()
	hs := make([]func(Message) error, 0, len(s.handlers))
	for _, h := range s.handlers {
		hs = append(hs, h)
	}
	s.mu.Unlock()
	for _, h := range hs {
		go func() { // HAZ goroutine-outside-recover
			if err := h(m); err != nil {
				log.Printf("broadcast: %v", err)
			}
		}()
	}
}

// ServeHTTP is the admin API with panic protection and async audit.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("admin %s: panic: %v", r.URL.Path, v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	go s.audit(r.Method, r.URL.Path) // HAZ goroutine-outside-recover
	fmt.Fprintln(w, "ok")
}

// SafeMap applies fn to every item concurrently and reports a panic as an error.
func SafeMap[T any](items []T, fn func(T)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("safe map: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			fn(it)
		}()
	}
	wg.Wait()
	return nil
}

// Pump reads messages and dispatches each on its own goroutine.
func (s *Server) Pump(ctx context.Context, in <-chan Message) {
	defer s.recoverPanic("pump")
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-in:
			go s.dispatch(m) // HAZ goroutine-outside-recover
		}
	}
}

// Start starts the pool drainer under the server's protection.
func (s *Server) Start() {
	defer s.recoverPanic("start")
	go s.Pool.drain() // HAZ goroutine-outside-recover
}

// Run starts the flusher and runs setup, turning a panic into an error.
func (s *Server) Run(ctx context.Context, setup func() error) (err error) {
	defer recoverTo(&err)
	go s.flushLoop(ctx) // HAZ goroutine-outside-recover
	return setup()
}

// Accept accepts connections and starts their heartbeats.
func (s *Server) Accept(ln net.Listener) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("accept loop panic: %v", r)
		}
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if tcp, ok := c.(*net.TCPConn); ok {
			go func() { // HAZ goroutine-outside-recover
				_ = tcp.SetKeepAlive(true)
				s.heartbeat(tcp)
			}()
		}
	}
}

// ---- negatives ----

// HandleConnSafe gives the heartbeat goroutine its own recover.
func (s *Server) HandleConnSafe(c net.Conn) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("conn %s: panic: %v", c.RemoteAddr(), r)
		}
		c.Close()
	}()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("heartbeat panic: %v", r)
			}
		}()
		s.heartbeat(c)
	}() // ok: recovers on its own
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		s.dispatch(Message{Kind: "line", Body: sc.Bytes()})
	}
}

// HandleConnHelper starts a function that defers its own recover.
func (s *Server) HandleConnHelper(c net.Conn) {
	defer s.recoverPanic("conn")
	go s.heartbeatSafe(c) // ok: heartbeatSafe defers recoverPanic
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		s.dispatch(Message{Kind: "line", Body: sc.Bytes()})
	}
}

// BroadcastUnprotected does not recover itself, so the rule does not apply.
func (s *Server) BroadcastUnprotected(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.handlers {
		go func() { // ok: no deferred recover in this function
			if err := h(m); err != nil {
				log.Printf("broadcast: %v", err)
			}
		}()
	}
}

// ServeAdmin audits through safeGo, which recovers in the goroutine.
func (s *Server) ServeAdmin(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("admin panic: %v", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	safeGo(func() { s.audit(r.Method, r.URL.Path) }) // ok: safeGo recovers
	fmt.Fprintln(w, "ok")
}

// StartSafe starts the recovering drainer.
func (s *Server) StartSafe() {
	defer s.recoverPanic("start")
	go s.Pool.drainSafe() // ok: drainSafe has its own recover
}

// PumpSafe recovers in every dispatch goroutine.
func (s *Server) PumpSafe(ctx context.Context, in <-chan Message) {
	defer s.recoverPanic("pump")
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-in:
			go func() {
				defer s.recoverPanic("dispatch " + m.Kind) // ok
				s.dispatch(m)
			}()
		}
	}
}

// SafeMapGuarded recovers in every worker and reports the first panic.
func SafeMapGuarded[T any](items []T, fn func(T)) (err error) {
	defer recoverTo(&err)
	var (
		wg   sync.WaitGroup
		once sync.Once
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { err = fmt.Errorf("worker: %v", r) }) // ok
				}
			}()
			fn(it)
		}()
	}
	wg.Wait()
	return err
}

// RunGuarded starts a flusher that protects itself.
func (s *Server) RunGuarded(ctx context.Context, setup func() error) (err error) {
	defer recoverTo(&err)
	go func() {
		defer s.recoverPanic("flush") // ok
		s.flushLoop(ctx)
	}()
	return setup()
}
