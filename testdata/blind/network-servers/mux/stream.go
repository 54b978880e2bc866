package mux

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"example.com/netsrv/internal/wire"
)

var (
	ErrStreamReset    = errors.New("mux: stream reset by peer")
	ErrStreamClosed   = errors.New("mux: stream closed")
	ErrWindowExceeded = errors.New("mux: peer exceeded receive window")
)

const maxDataFrame = 16 << 10

type streamState int

const (
	streamSynSent streamState = iota
	streamSynReceived
	streamEstablished
	streamLocalClose
	streamRemoteClose
	streamClosed
)

func (s streamState) String() string {
	switch s {
	case streamSynSent:
		return "syn-sent"
	case streamSynReceived:
		return "syn-received"
	case streamEstablished:
		return "established"
	case streamLocalClose:
		return "local-close"
	case streamRemoteClose:
		return "remote-close"
	case streamClosed:
		return "closed"
	}
	return "unknown"
}

// Stream is one logical connection inside a session. It implements net.Conn.
type Stream struct {
	id   uint32
	sess *Session

	mu            sync.RWMutex
	state         streamState
	err           error
	recvBuf       bytes.Buffer
	recvWindow    uint32
	consumed      uint32
	sendWindow    uint32
	readDeadline  time.Time
	writeDeadline time.Time

	recvNotify chan struct{}
	sendNotify chan struct{}
}

var _ net.Conn = (*Stream)(nil)

func newStream(s *Session, id uint32, state streamState) *Stream {
	return &Stream{
		id:         id,
		sess:       s,
		state:      state,
		recvWindow: s.cfg.InitialWindow,
		sendWindow: s.cfg.InitialWindow,
		recvNotify: make(chan struct{}, 1),
		sendNotify: make(chan struct{}, 1),
	}
}

func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// ID returns the stream id.
func (st *Stream) ID() uint32 { return st.id }

// State describes the stream's lifecycle state for diagnostics.
func (st *Stream) State() string {
	st.mu.RLock()
	defer st.mu.Unlock() // HAZ defer-lock-mismatch
	return st.state.String()
}

func (st *Stream) pending() bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.state == streamSynReceived
}

func (st *Stream) establish() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.state == streamSynReceived || st.state == streamSynSent {
		st.state = streamEstablished
	}
}

// Read reads buffered data, waiting for more when the buffer is empty.
func (st *Stream) Read(p []byte) (int, error) {
	for {
		st.mu.Lock()
		if st.recvBuf.Len() > 0 {
			n, _ := st.recvBuf.Read(p)
			st.consumed += uint32(n)
			var delta uint32
			if st.consumed >= st.sess.cfg.InitialWindow/2 {
				delta = st.consumed
				st.consumed = 0
				st.recvWindow += delta
			}
			st.mu.Unlock()
			if delta > 0 {
				if err := st.sendWindowUpdate(0, delta); err != nil {
					return n, err
				}
			}
			return n, nil
		}
		if st.err != nil {
			err := st.err
			st.mu.Unlock()
			return 0, err
		}
		if st.state == streamRemoteClose || st.state == streamClosed {
			st.mu.Unlock()
			return 0, io.EOF
		}
		deadline := st.readDeadline
		st.mu.Unlock()

		if err := st.wait(st.recvNotify, deadline); err != nil {
			return 0, err
		}
	}
}

// Write sends p, blocking while the peer's window is exhausted.
func (st *Stream) Write(p []byte) (int, error) {
	total := 0
	for total < len(p) {
		st.mu.Lock()
		if st.err != nil {
			err := st.err
			st.mu.Unlock()
			return total, err
		}
		if st.state == streamLocalClose || st.state == streamClosed {
			st.mu.Unlock()
			return total, ErrStreamClosed
		}
		if st.sendWindow == 0 {
			deadline := st.writeDeadline
			st.mu.Unlock()
			if err := st.wait(st.sendNotify, deadline); err != nil {
				return total, err
			}
			continue
		}
		n := min(int(st.sendWindow), len(p)-total, maxDataFrame)
		st.sendWindow -= uint32(n)
		st.mu.Unlock()

		chunk := append([]byte(nil), p[total:total+n]...)
		if err := st.sess.waitForSend(wire.Header{Type: wire.TypeData, StreamID: st.id}, chunk); err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// wait blocks until notified, the deadline passes or the session ends.
func (st *Stream) wait(ch <-chan struct{}, deadline time.Time) error {
	var timeout <-chan time.Time
	if !deadline.IsZero() {
		d := time.Until(deadline)
		if d <= 0 {
			return ErrTimeout
		}
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ch:
		return nil
	case <-timeout:
		return ErrTimeout
	case <-st.sess.shutdownCh:
		return ErrSessionShutdown
	}
}

// Close half-closes the stream by sending FIN.
func (st *Stream) Close() error {
	st.mu.Lock()
	switch st.state {
	case streamLocalClose, streamClosed:
		st.mu.Unlock()
		return nil
	case streamRemoteClose:
		st.state = streamClosed
	default:
		st.state = streamLocalClose
	}
	closed := st.state == streamClosed
	st.mu.Unlock()

	err := st.sess.waitForSend(wire.Header{Type: wire.TypeData, Flags: wire.FlagFIN, StreamID: st.id}, nil)
	if closed {
		st.sess.closeStream(st.id)
	}
	return err
}

func (st *Stream) deliver(body []byte) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if uint32(len(body)) > st.recvWindow {
		return ErrWindowExceeded
	}
	st.recvWindow -= uint32(len(body))
	st.recvBuf.Write(body)
	notify(st.recvNotify)
	return nil
}

func (st *Stream) remoteClose() {
	st.mu.Lock()
	closed := false
	if st.state == streamLocalClose {
		st.state = streamClosed
		closed = true
	} else if st.state != streamClosed {
		st.state = streamRemoteClose
	}
	notify(st.recvNotify)
	st.mu.Unlock()

	if closed {
		st.sess.closeStream(st.id)
	}
}

func (st *Stream) forceClose(err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.err == nil {
		st.err = err
	}
	st.state = streamClosed
	notify(st.recvNotify)
	notify(st.sendNotify)
}

func (st *Stream) incrSendWindow(h wire.Header) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if h.Flags&wire.FlagACK != 0 && st.state == streamSynSent {
		st.state = streamEstablished
	}
	st.sendWindow += h.Length
	notify(st.sendNotify)
}

func (st *Stream) sendWindowUpdate(flags uint16, delta uint32) error {
	return st.sess.waitForSend(wire.Header{Type: wire.TypeWindowUpdate, Flags: flags, StreamID: st.id, Length: delta}, nil)
}

// LocalAddr returns the session's local address.
func (st *Stream) LocalAddr() net.Addr { return st.sess.conn.LocalAddr() }

// RemoteAddr returns the session's remote address.
func (st *Stream) RemoteAddr() net.Addr { return st.sess.conn.RemoteAddr() }

// SetDeadline sets both deadlines.
func (st *Stream) SetDeadline(t time.Time) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.readDeadline = t
	st.writeDeadline = t
	notify(st.recvNotify)
	notify(st.sendNotify)
	return nil
}

// SetReadDeadline sets the read deadline.
func (st *Stream) SetReadDeadline(t time.Time) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.readDeadline = t
	notify(st.recvNotify)
	return nil
}

// SetWriteDeadline sets the write deadline.
func (st *Stream) SetWriteDeadline(t time.Time) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.writeDeadline = t
	notify(st.sendNotify)
	return nil
}
