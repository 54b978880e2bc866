package broker

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"
)

const (
	framePing byte = iota + 1
	framePong
	frameData
	frameAck
	frameGoAway
)

type frame struct {
	kind    byte
	stream  uint32
	payload []byte
}

func readFrame(r *bufio.Reader) (frame, error) {
	var hdr [9]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return frame{}, err
	}
	f := frame{kind: hdr[0], stream: binary.BigEndian.Uint32(hdr[1:5])}
	n := binary.BigEndian.Uint32(hdr[5:9])
	if n > 1<<20 {
		return frame{}, fmt.Errorf("frame too large: %d bytes", n)
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(r, f.payload); err != nil {
		return frame{}, err
	}
	return f, nil
}

func encodeFrame(f frame) []byte {
	buf := make([]byte, 9+len(f.payload))
	buf[0] = f.kind
	binary.BigEndian.PutUint32(buf[1:5], f.stream)
	binary.BigEndian.PutUint32(buf[5:9], uint32(len(f.payload)))
	copy(buf[9:], f.payload)
	return buf
}

func writeFrame(w io.Writer, f frame) error {
	_, err := w.Write(encodeFrame(f))
	return err
}

// Session is one client connection of the TCP front end.
type Session struct {
	id           string
	conn         net.Conn
	br           *bufio.Reader
	log          *slog.Logger
	pingEvery    time.Duration
	lastStreamID uint32
	topic        *Topic
}

func NewSession(id string, conn net.Conn, topic *Topic, log *slog.Logger) *Session {
	return &Session{id: id, conn: conn, br: bufio.NewReader(conn), topic: topic, log: log, pingEvery: 15 * time.Second}
}

func (s *Session) writeLoop(frames <-chan frame) {
	for f := range frames {
		if err := writeFrame(s.conn, f); err != nil {
			s.log.Warn("session write failed", "session", s.id, "err", err)
		}
	}
}

func (s *Session) keepalive(ctx context.Context, frames chan<- frame) {
	t := time.NewTicker(s.pingEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			select {
			case frames <- frame{kind: framePing}:
			case <-ctx.Done():
				return
			}
		}
	}
}

// Serve handles the client until it disconnects. ctx is the listener's
// context and outlives the session.
func (s *Session) Serve(ctx context.Context) error {
	frames := make(chan frame, 64)
	defer close(frames) // HAZ defer-close-chan-with-sender
	go s.writeLoop(frames)
	go s.keepalive(ctx, frames)
	for {
		f, err := readFrame(s.br)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("session %s: read: %w", s.id, err)
		}
		switch f.kind {
		case framePing:
			frames <- frame{kind: framePong, stream: f.stream}
		case frameData:
			s.lastStreamID = f.stream
			if _, err := s.topic.Publish(Message{Value: f.payload}); err != nil {
				return err
			}
			frames <- frame{kind: frameAck, stream: f.stream}
		}
	}
}

// ServeScoped is the fixed version: the keepalive goroutine only watches a
// stop channel and never sends on a channel closed here.
func (s *Session) ServeScoped(ctx context.Context) error {
	stop := make(chan struct{})
	defer close(stop) // ok: goroutines only receive from stop
	go s.pingUntil(stop)
	for {
		f, err := readFrame(s.br)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("session %s: read: %w", s.id, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if f.kind == frameData {
			s.lastStreamID = f.stream
			if _, err := s.topic.Publish(Message{Value: f.payload}); err != nil {
				return err
			}
		}
	}
}

func (s *Session) pingUntil(stop <-chan struct{}) {
	t := time.NewTicker(s.pingEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			_ = s.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := writeFrame(s.conn, frame{kind: framePing}); err != nil {
				s.log.Debug("ping failed", "session", s.id, "err", err)
				return
			}
		}
	}
}

// ServeWithGoAway is the variant used for draining: on the way out it tells
// the client which stream was processed last.
func (s *Session) ServeWithGoAway() error {
	defer func() { // HAZ defer-blocking-call
		goaway := encodeFrame(frame{kind: frameGoAway, stream: s.lastStreamID})
		if _, err := s.conn.Write(goaway); err != nil {
			s.log.Debug("goaway not delivered", "session", s.id, "err", err)
		}
	}()
	for {
		f, err := readFrame(s.br)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if f.kind == frameData {
			s.lastStreamID = f.stream
			if _, err := s.topic.Publish(Message{Value: f.payload}); err != nil {
				return err
			}
		}
	}
}
