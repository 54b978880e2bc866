package mux

import (
	"context"
	"errors"
	"net"
	"runtime/debug"
	"sync"
)

// Handler serves one accepted stream.
type Handler func(ctx context.Context, st *Stream)

// Server accepts TCP connections and serves every stream on them.
type Server struct {
	Config  Config
	Handler Handler

	mu       sync.Mutex
	sessions map[*Session]struct{}
	ln       net.Listener
	wg       sync.WaitGroup
	cancel   context.CancelFunc
}

// Serve accepts connections on ln until it is closed.
func (srv *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	srv.mu.Lock()
	srv.ln = ln
	srv.cancel = cancel
	if srv.sessions == nil {
		srv.sessions = make(map[*Session]struct{})
	}
	srv.mu.Unlock()
	defer cancel()

	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		sess := NewSession(conn, srv.Config, false)
		srv.track(sess, true)
		srv.wg.Add(1)
		go srv.serveSession(ctx, sess)
	}
}

func (srv *Server) track(sess *Session, add bool) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if add {
		srv.sessions[sess] = struct{}{}
	} else {
		delete(srv.sessions, sess)
	}
}

func (srv *Server) serveSession(ctx context.Context, sess *Session) {
	defer srv.wg.Done()
	defer srv.track(sess, false)

	var streams sync.WaitGroup
	for {
		st, err := sess.AcceptStream(ctx)
		if err != nil {
			break
		}
		streams.Add(1)
		go func() {
			defer streams.Done()
			defer st.Close()
			defer srv.recoverStream(st)
			srv.Handler(ctx, st)
		}()
	}
	// Close first so that handlers blocked in Read or Write return.
	_ = sess.Close()
	streams.Wait()
}

// recoverStream is deferred directly by each stream goroutine.
func (srv *Server) recoverStream(st *Stream) {
	if r := recover(); r != nil {
		srv.Config.Logf("mux: handler panic on stream %d: %v\n%s", st.ID(), r, debug.Stack())
		st.forceClose(ErrStreamReset)
	}
}

// Shutdown stops accepting, sends GO_AWAY on every session and waits for
// them to finish or for ctx to expire, in which case they are closed hard.
func (srv *Server) Shutdown(ctx context.Context) error {
	srv.mu.Lock()
	if srv.ln != nil {
		_ = srv.ln.Close()
	}
	sessions := make([]*Session, 0, len(srv.sessions))
	for s := range srv.sessions {
		sessions = append(sessions, s)
	}
	srv.mu.Unlock()

	for _, s := range sessions {
		_ = s.GoAway()
	}

	done := make(chan struct{})
	go func() {
		srv.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		srv.mu.Lock()
		if srv.cancel != nil {
			srv.cancel()
		}
		srv.mu.Unlock()
		for _, s := range sessions {
			s.exit(ErrSessionShutdown)
		}
		return ctx.Err()
	}
}
