package jsonrpc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"time"
)

// Serve accepts connections on ln and serves newline-delimited requests
// on each until ln is closed.
func (s *Server) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			s.logf("jsonrpc: accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go func() {
			defer conn.Close()
			s.serveConn(conn)
		}()
	}
}

// ServeLocal is Serve for the local admin socket, which is never closed
// while the process runs.
func (s *Server) ServeLocal(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.logf("jsonrpc: accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go s.serveConn(conn)
	}
}

// serveConn reads one request per line and writes one response per line.
func (s *Server) serveConn(conn net.Conn) {
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), 1<<20)
	enc := json.NewEncoder(conn)
	for sc.Scan() {
		var req Request
		var resp *Response
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			resp = &Response{Version: "2.0", Error: &Error{Code: codeParse, Message: err.Error()}}
		} else {
			resp = s.handleWithTimeout(&req)
		}
		if resp == nil {
			continue
		}
		if err := enc.Encode(resp); err != nil {
			return
		}
	}
}

// handleWithTimeout runs req with the server's per-call timeout.
func (s *Server) handleWithTimeout(req *Request) *Response {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	return s.handle(ctx, req)
}
