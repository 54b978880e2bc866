package cache

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"

	"example.com/k8scontrollers/pkg/api"
)

// StreamServer serves the cache content over a line-oriented TCP protocol
// used by sidecars that cannot talk to the API server.
type StreamServer struct {
	store *Store
	log   *log.Logger
	idle  time.Duration
}

// NewStreamServer returns a server for store.
func NewStreamServer(store *Store, logger *log.Logger) *StreamServer {
	if logger == nil {
		logger = log.Default()
	}
	return &StreamServer{store: store, log: logger, idle: 30 * time.Second}
}

// Serve accepts connections on ln until ctx is cancelled.
func (s *StreamServer) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		go s.handleConn(conn)
	}
}

// handleConn reads one command and answers it.
func (s *StreamServer) handleConn(conn net.Conn) {
	defer conn.Close()
	defer conn.Write([]byte("END\n")) // HAZ defer-blocking-call
	if err := conn.SetReadDeadline(time.Now().Add(s.idle)); err != nil {
		return
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		s.log.Printf("stream: read command from %s: %v", conn.RemoteAddr(), err)
		return
	}
	switch cmd := strings.TrimSpace(line); cmd {
	case "LIST":
		err = s.writeList(conn)
	case "KEYS":
		err = s.writeKeys(conn)
	default:
		_, err = fmt.Fprintf(conn, "ERR unknown command %q\n", cmd)
	}
	if err != nil {
		s.log.Printf("stream: answer %s: %v", conn.RemoteAddr(), err)
	}
}

func (s *StreamServer) writeList(w io.Writer) error {
	for _, obj := range s.store.List() {
		if err := writeFrame(w, obj); err != nil {
			return err
		}
	}
	return nil
}

func (s *StreamServer) writeKeys(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, k := range s.store.ListKeys() {
		if _, err := bw.WriteString(k + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeFrame writes one length-prefixed JSON object.
func writeFrame(w io.Writer, obj api.Object) error {
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "%d\n", len(b)); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// PushTo dials a peer cache and pushes the full content to it.
func (s *StreamServer) PushTo(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	if _, err := bw.WriteString("PUSH\n"); err != nil {
		return err
	}
	return s.writeList(bw)
}

// SendSnapshot writes the full content to an already accepted connection and
// closes it.
func (s *StreamServer) SendSnapshot(conn net.Conn) error {
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	if err := s.writeList(bw); err != nil {
		return err
	}
	return bw.Flush()
}
