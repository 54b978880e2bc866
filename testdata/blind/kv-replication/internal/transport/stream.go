package transport

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"example.com/kvreplication/internal/raftpb"
)

// ApplyFunc consumes one streamed entry.
type ApplyFunc func(raftpb.Entry) error

// StreamFrom follows the leader's catch-up stream forever, reconnecting after errors.
func (t *HTTPTransport) StreamFrom(leaderAddr string, from raftpb.Index, apply ApplyFunc) {
	for {
		resp, err := t.client.Get(fmt.Sprintf("http://%s/raft/stream?from=%d", leaderAddr, from))
		if err != nil {
			time.Sleep(t.retry)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		dec := json.NewDecoder(resp.Body)
		for {
			var e raftpb.Entry
			if err := dec.Decode(&e); err != nil {
				break
			}
			if err := apply(e); err != nil {
				t.logger.Printf("transport: apply streamed %d: %v", e.Index, err)
				break
			}
			from = e.Index + 1
		}
		time.Sleep(t.retry)
	}
}

// Follow is the cancellable catch-up loop: each connection lives in streamOnce.
func (t *HTTPTransport) Follow(ctx context.Context, leaderAddr string, from raftpb.Index, apply ApplyFunc) error {
	for {
		next, err := t.streamOnce(ctx, leaderAddr, from, apply)
		if next > from {
			from = next
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && !errors.Is(err, io.EOF) {
			t.logger.Printf("transport: stream from %s: %v", leaderAddr, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(t.retry):
		}
	}
}

func (t *HTTPTransport) streamOnce(ctx context.Context, leaderAddr string, from raftpb.Index, apply ApplyFunc) (raftpb.Index, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/raft/stream?from=%d", leaderAddr, from), nil)
	if err != nil {
		return from, err
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return from, err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var e raftpb.Entry
		if err := dec.Decode(&e); err != nil {
			return from, err
		}
		if err := apply(e); err != nil {
			return from, err
		}
		from = e.Index + 1
	}
}

// StreamServer serves raw framed catch-up streams on a TCP listener.
type StreamServer struct {
	Source func(from raftpb.Index) ([]raftpb.Entry, error)
	Logger *log.Logger
}

// Serve accepts connections until the listener fails.
func (s *StreamServer) Serve(ln net.Listener) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("transport: stream server panic: %v", r)
		}
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.handleConn(conn) // HAZ goroutine-outside-recover
	}
}

// ServeIsolated gives every connection goroutine its own recover.
func (s *StreamServer) ServeIsolated(ln net.Listener) error {
	defer func() {
		if r := recover(); r != nil {
			s.Logger.Printf("transport: accept loop panic: %v", r)
			panic(r)
		}
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer func() {
				if r := recover(); r != nil {
					s.Logger.Printf("transport: stream %s panic: %v", conn.RemoteAddr(), r)
				}
			}()
			s.handleConn(conn)
		}()
	}
}

func (s *StreamServer) handleConn(conn net.Conn) {
	defer conn.Close()
	br := bufio.NewReader(conn)
	var from uint64
	if err := binary.Read(br, binary.BigEndian, &from); err != nil {
		return
	}
	entries, err := s.Source(raftpb.Index(from))
	if err != nil {
		s.Logger.Printf("transport: stream source: %v", err)
		return
	}
	bw := bufio.NewWriter(conn)
	for _, e := range entries {
		b, err := json.Marshal(e)
		if err != nil {
			return
		}
		if err := writeFrame(bw, b); err != nil {
			return
		}
	}
	if err := bw.Flush(); err != nil {
		s.Logger.Printf("transport: flush stream to %s: %v", conn.RemoteAddr(), err)
	}
}

func writeFrame(w io.Writer, b []byte) error {
	if err := binary.Write(w, binary.BigEndian, uint32(len(b))); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

// FetchFramed reads a framed catch-up stream from a StreamServer.
func FetchFramed(ctx context.Context, addr string, from raftpb.Index) (entries []raftpb.Entry, err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return nil, err
		}
	}
	if err := binary.Write(conn, binary.BigEndian, uint64(from)); err != nil {
		return nil, err
	}
	br := bufio.NewReader(conn)
	for {
		var n uint32
		if err := binary.Read(br, binary.BigEndian, &n); err != nil {
			if errors.Is(err, io.EOF) {
				return entries, nil
			}
			return entries, err
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(br, buf); err != nil {
			return entries, err
		}
		var e raftpb.Entry
		if err := json.Unmarshal(buf, &e); err != nil {
			return entries, err
		}
		entries = append(entries, e)
	}
}
