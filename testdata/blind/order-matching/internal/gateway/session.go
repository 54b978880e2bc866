package gateway

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

var sessionSeq atomic.Uint64

// session is one logged-in client connection.
type session struct {
	id      string
	account string
	kind    string // "trader", "mm", "viewer", ...
	remote  string
	conn    net.Conn
	started time.Time
	msgs    atomic.Int64
	open    map[uint64]string // resting order id -> symbol; reader goroutine only
	writeMu sync.Mutex
}

// SessionInfo describes a session to hooks and the admin API.
type SessionInfo struct {
	ID       string
	Account  string
	Kind     string
	Remote   string
	Started  time.Time
	Messages int64
}

func newSession(c net.Conn, account, kind string) *session {
	return &session{
		id:      fmt.Sprintf("s%06d", sessionSeq.Add(1)),
		account: account,
		kind:    kind,
		remote:  c.RemoteAddr().String(),
		conn:    c,
		started: time.Now(),
		open:    make(map[uint64]string),
	}
}

func (sess *session) info() SessionInfo {
	return SessionInfo{
		ID: sess.id, Account: sess.account, Kind: sess.kind, Remote: sess.remote,
		Started: sess.started, Messages: sess.msgs.Load(),
	}
}

// sendDirect writes m straight to the connection, bypassing the writer
// goroutine; used for administrative messages.
func (sess *session) sendDirect(m Message) error {
	sess.writeMu.Lock()
	defer sess.writeMu.Unlock()
	bw := bufio.NewWriter(sess.conn)
	if err := writeMessage(bw, m); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *Server) track(sess *session) {
	s.mu.Lock()
	s.sessions[sess.id] = sess
	s.mu.Unlock()
	s.tryEmit(Event{Kind: "login", Account: sess.account, Remote: sess.remote})
}

func (s *Server) untrack(sess *session) {
	s.mu.Lock()
	delete(s.sessions, sess.id)
	s.mu.Unlock()
}

// emit delivers a lifecycle event; logouts must not be lost, so it waits for
// the monitor.
func (s *Server) emit(ev Event) {
	ev.At = time.Now()
	s.events <- ev
}

// tryEmit delivers an event only if the monitor is ready.
func (s *Server) tryEmit(ev Event) {
	ev.At = time.Now()
	select {
	case s.events <- ev:
	default:
	}
}

// endSession unregisters a finished session and reports the logout.
func (s *Server) endSession(sess *session, cause error) {
	defer s.emit(Event{Kind: "logout", Account: sess.account, Remote: sess.remote, Err: cause}) // HAZ defer-blocking-call
	s.untrack(sess)
	s.cfg.Logger.Printf("gateway: session %s (%s) ended after %d messages: %v",
		sess.id, sess.account, sess.msgs.Load(), cause)
}

// releaseSession cancels the session's resting orders (cancel on
// disconnect) and runs the close hook registered for its kind.
func (s *Server) releaseSession(ctx context.Context, sess *session) {
	hook := s.onClose[sess.kind]
	defer hook(sess.info()) // HAZ defer-nil-func
	for id, sym := range sess.open {
		if _, err := s.eng.Cancel(ctx, sym, id); err != nil {
			s.cfg.Logger.Printf("gateway: cancel-on-disconnect %s/%d: %v", sym, id, err)
		}
	}
}

func (s *Server) snapshotSessions() []*session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		out = append(out, sess)
	}
	return out
}

// Sessions describes every live session, ordered by id.
func (s *Server) Sessions() []SessionInfo {
	live := s.snapshotSessions()
	out := make([]SessionInfo, 0, len(live))
	for _, sess := range live {
		out = append(out, sess.info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// KickAll sends a logout to every session and closes it.
func (s *Server) KickAll(reason string) int {
	live := s.snapshotSessions()
	var wg sync.WaitGroup
	for _, sess := range live {
		wg.Add(1)
		go func() {
			if err := sess.conn.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout)); err != nil {
				return
			}
			_ = sess.sendDirect(Message{Type: MsgLogout, Text: reason})
			_ = sess.conn.Close()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return len(live)
}

// Kick disconnects the sessions of one account; each goroutine marks itself
// done on every path.
func (s *Server) Kick(account, reason string) int {
	var wg sync.WaitGroup
	n := 0
	for _, sess := range s.snapshotSessions() {
		if sess.account != account {
			continue
		}
		n++
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sess.conn.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout)); err != nil {
				return
			}
			_ = sess.sendDirect(Message{Type: MsgLogout, Text: reason})
			_ = sess.conn.Close()
		}()
	}
	wg.Wait()
	return n
}

// runCloseHook runs a user-supplied close hook; hooks are best effort.
func runCloseHook(hook func(SessionInfo), info SessionInfo) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			_ = r
		}
	}()
	hook(info)
}
