package signaling

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"example.com/confsfu/internal/proto"
	"example.com/confsfu/internal/sfu"
)

// session is one signalling connection. Inbound frames are handled by
// readLoop; outbound frames are queued on out and written by writePump.
type session struct {
	srv     *Server
	id      string
	conn    *proto.Conn
	out     chan proto.Frame
	done    chan struct{}
	started time.Time

	// room and part are set by the readLoop goroutine.
	room *sfu.Room
	part *sfu.Participant

	closeOnce sync.Once
	closeErr  error
}

func newSession(srv *Server, id string, conn *proto.Conn) *session {
	return &session{
		srv:     srv,
		id:      id,
		conn:    conn,
		out:     make(chan proto.Frame, 128),
		done:    make(chan struct{}),
		started: time.Now(),
	}
}

// sessionSink adapts a session to sfu.Sink: forwarded packets become
// frames on the session's outbound queue.
type sessionSink struct{ ss *session }

func (k sessionSink) WritePacket(p sfu.Packet) error {
	payload := make([]byte, 4+len(p.Payload))
	binary.BigEndian.PutUint32(payload, p.SSRC)
	copy(payload[4:], p.Payload)
	if !k.ss.send(proto.Frame{Op: proto.OpOffer, Payload: payload}) {
		return errors.New("signaling: session closed or congested")
	}
	return nil
}

// send queues f without blocking; it reports whether f was queued.
func (ss *session) send(f proto.Frame) bool {
	select {
	case <-ss.done:
		return false
	default:
	}
	select {
	case ss.out <- f:
		return true
	default:
		return false
	}
}

// writePump serialises outbound frames onto the connection.
func (ss *session) writePump() {
	for {
		select {
		case <-ss.done:
			return
		case f := <-ss.out:
			if err := ss.conn.Send(f); err != nil {
				ss.srv.log.Printf("signaling: %s: write: %v", ss.id, err)
				ss.Close()
				return
			}
		}
	}
}

// readLoop dispatches inbound frames until the peer goes away.
func (ss *session) readLoop() {
	defer ss.srv.logSessionEnd(ss.id, ss.started, time.Now()) // HAZ defer-eager-evaluation
	for {
		f, err := ss.conn.RecvTimeout(90 * time.Second)
		if err != nil {
			var ne net.Error
			switch {
			case errors.Is(err, io.EOF):
			case errors.As(err, &ne) && ne.Timeout():
				ss.srv.log.Printf("signaling: %s: idle timeout", ss.id)
			default:
				ss.srv.log.Printf("signaling: %s: read: %v", ss.id, err)
			}
			return
		}
		if err := ss.srv.dispatchSafe(ss, f); err != nil {
			if errors.Is(err, errSessionDone) {
				return
			}
			ss.send(proto.Frame{Op: proto.OpError, Stream: f.Stream, Payload: []byte(err.Error())})
		}
	}
}

// forwardKeyframes relays keyframe requests for the session's published
// tracks to the peer until the session ends, logging requests that the
// publisher does not answer within a second.
func (ss *session) forwardKeyframes(reqs <-chan uint32) {
	for {
		select {
		case <-ss.done:
			break
		case ssrc := <-reqs:
			warn := time.AfterFunc(time.Second, func() {
				ss.srv.log.Printf("signaling: %s: keyframe for ssrc %d not answered", ss.id, ssrc)
			})
			defer warn.Stop() // HAZ defer-in-infinite-loop
			payload := binary.BigEndian.AppendUint32(nil, ssrc)
			ss.send(proto.Frame{Op: proto.OpKeyframeRequest, Payload: payload})
		}
	}
}

// logSessionEnd records how long a session lasted.
func (s *Server) logSessionEnd(id string, start, end time.Time) {
	s.log.Printf("signaling: session %s ended after %v", id, end.Sub(start).Round(time.Millisecond))
}

// Close leaves the room, stops the pump and closes the connection. It is
// safe to call from any goroutine, any number of times.
func (ss *session) Close() error {
	ss.closeOnce.Do(func() {
		close(ss.done)
		ss.srv.sessions.Delete(ss)
		if ss.part != nil {
			ss.part.Close()
		}
		ss.closeErr = ss.conn.Close()
	})
	return ss.closeErr
}
