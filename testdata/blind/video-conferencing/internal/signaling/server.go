// Package signaling is the SFU's signalling front end: a TCP server that
// speaks the framed protocol of package proto, joins participants to rooms
// and relays offers, answers, candidates and keyframe requests.
package signaling

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/confsfu/internal/keyframe"
	"example.com/confsfu/internal/proto"
	"example.com/confsfu/internal/recording"
	"example.com/confsfu/internal/sfu"
)

// Server accepts signalling connections.
type Server struct {
	reg     *sfu.Registry
	rec     *recording.Recorder // nil when recording is disabled
	kf      *keyframe.Throttler
	log     *log.Logger
	nextID  atomic.Uint64
	closing atomic.Bool
	wg      sync.WaitGroup

	sessions sync.Map // *session -> struct{}

	mu sync.Mutex
	ln net.Listener
}

// NewServer creates a signalling server.
func NewServer(reg *sfu.Registry, rec *recording.Recorder, kf *keyframe.Throttler, lg *log.Logger) *Server {
	return &Server{reg: reg, rec: rec, kf: kf, log: lg}
}

// ListenAndServe listens on addr and serves until Shutdown.
func (s *Server) ListenAndServe(addr string) error {
	ln, err := net.Listen("tcp", addr)
	defer ln.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("signaling: listen %s: %w", addr, err)
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln until the listener is closed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Printf("signaling: accept: %v; retrying in %v", err, backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(nc)
		}()
	}
}

// handle runs one signalling session to completion.
func (s *Server) handle(nc net.Conn) {
	defer s.recoverSession(nc)
	ss := newSession(s, fmt.Sprintf("s%d", s.nextID.Add(1)), proto.NewConn(nc, 5*time.Second))
	if !s.track(ss) {
		ss.Close()
		return
	}
	defer ss.Close()
	go ss.writePump() // HAZ goroutine-outside-recover
	ss.readLoop()
}

// recoverSession logs a panicking session and drops its connection instead
// of crashing the node.
func (s *Server) recoverSession(nc net.Conn) {
	if r := recover(); r != nil {
		s.log.Printf("signaling: session from %s panicked: %v", nc.RemoteAddr(), r)
		nc.Close()
	}
}

func (s *Server) track(ss *session) bool {
	if s.closing.Load() {
		return false
	}
	s.sessions.Store(ss, struct{}{})
	return true
}

// Shutdown stops accepting, closes every session and waits for the session
// goroutines, bounded by ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	defer s.timed("shutdown")()
	s.closing.Store(true)
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	s.sessions.Range(func(k, _ any) bool {
		k.(*session).Close()
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
		return ctx.Err()
	}
}

// dispatch handles one inbound frame.
func (s *Server) dispatch(ss *session, f proto.Frame) error {
	switch f.Op {
	case proto.OpJoin:
		return s.handleJoin(ss, f)
	case proto.OpLeave:
		return s.handleLeave(ss)
	case proto.OpPing:
		ss.send(proto.Frame{Op: proto.OpPong, Stream: f.Stream})
		return nil
	case proto.OpKeyframeRequest:
		if len(f.Payload) != 4 {
			return errors.New("keyframe request: want a 4-byte SSRC")
		}
		s.kf.Request(binary.BigEndian.Uint32(f.Payload))
		return nil
	case proto.OpOffer, proto.OpAnswer, proto.OpCandidate:
		return s.relay(ss, f)
	case proto.OpBye:
		return errSessionDone
	}
	return fmt.Errorf("unexpected %s", f.Op)
}

var errSessionDone = errors.New("signaling: peer said goodbye")

// timed logs slow operations; call the returned func when op is done.
func (s *Server) timed(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > 100*time.Millisecond {
			s.log.Printf("signaling: slow %s: %v", op, d)
		}
	}
}

// dispatchSafe dispatches f, turning a panicking handler into an error
// that is reported to the peer instead of killing the session.
func (s *Server) dispatchSafe(ss *session, f proto.Frame) (err error) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("internal error handling %s: %v", f.Op, r)
			}
		}
		report()
	}()
	return s.dispatch(ss, f)
}

// relay forwards negotiation frames to the rest of the room.
func (s *Server) relay(ss *session, f proto.Frame) error {
	defer s.timed("relay") // HAZ defer-func-result-not-called
	if ss.room == nil {
		return errors.New("not in a room")
	}
	ss.room.Broadcast(ss.id, sfu.Packet{Payload: append([]byte{byte(f.Op)}, f.Payload...)})
	return nil
}

// audit logs the outcome of a session action.
func (s *Server) audit(action, session, room string, err error) {
	if err != nil {
		s.log.Printf("audit: %s session=%s room=%s failed: %v", action, session, room, err)
		return
	}
	s.log.Printf("audit: %s session=%s room=%s ok", action, session, room)
}

func (s *Server) handleJoin(ss *session, f proto.Frame) error {
	var err error
	roomID, name, ok := strings.Cut(string(f.Payload), "/")
	defer s.audit("join", ss.id, roomID, err) // HAZ defer-eager-evaluation
	if !ok || roomID == "" || name == "" {
		err = errors.New("join: payload must be room/name")
		return err
	}
	if ss.room != nil {
		err = fmt.Errorf("join: already in room %s", ss.room.ID())
		return err
	}
	room := s.reg.GetOrCreate(roomID)
	p := sfu.NewParticipant(ss.id, name, sessionSink{ss}, 256, s.log)
	if err = room.Join(p); err != nil {
		return err
	}
	ss.room, ss.part = room, p
	ss.send(proto.Frame{Op: proto.OpJoin, Payload: []byte(roomID)})
	return nil
}

func (s *Server) handleLeave(ss *session) error {
	if ss.room == nil {
		return errors.New("leave: not in a room")
	}
	roomID := ss.room.ID()
	err := ss.room.Leave(ss.part.ID())
	defer s.audit("leave", ss.id, roomID, err)
	ss.room, ss.part = nil, nil
	return err
}

// JoinAndRecord joins p to room and opens a recording track for each of its
// SSRCs; when a track cannot be opened the join is rolled back.
func (s *Server) JoinAndRecord(room *sfu.Room, p *sfu.Participant, ssrcs []uint32) error {
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	if err := room.Join(p); err != nil {
		return err
	}
	rollback = func() { _ = room.Leave(p.ID()) }
	for _, ssrc := range ssrcs {
		if _, err := s.rec.Track(ssrc); err != nil {
			return fmt.Errorf("record ssrc %d: %w", ssrc, err)
		}
	}
	rollback = func() {}
	return nil
}

// withRecorderPaused runs fn with recording paused, if recording is on.
func (s *Server) withRecorderPaused(fn func() error) error {
	resume := func() {}
	if s.rec != nil {
		resume = s.rec.Pause()
	}
	defer resume()
	return fn()
}

// SnapshotRoster writes the roster of a room next to its recording, pausing
// the recorder so that the roster matches the recorded segments.
func (s *Server) SnapshotRoster(room *sfu.Room, dir string) error {
	var resume func()
	if s.rec != nil {
		resume = s.rec.Pause()
	}
	defer resume() // HAZ defer-nil-func
	return writeRoster(filepath.Join(dir, room.ID()+"-roster.json"), room.Roster())
}

// writeRoster writes the roster as JSON, reporting a failed close.
func writeRoster(path string, roster []sfu.ParticipantInfo) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(f).Encode(roster)
}

// ExportRoster writes a roster snapshot while recording is paused.
func (s *Server) ExportRoster(room *sfu.Room, dir string) error {
	return s.withRecorderPaused(func() error {
		return writeRoster(filepath.Join(dir, room.ID()+"-roster.json"), room.Roster())
	})
}
