package rpc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log"
	"sync"
)

// ServerStream is the server side of a streaming call.
type ServerStream interface {
	Context() context.Context
	SetHeader(md MD) error
	SendMsg(m any) error
	RecvMsg(m any) error
}

// StreamHandler serves one streaming call.
type StreamHandler func(srv any, ss ServerStream) error

// StreamServerInfo describes a streaming call.
type StreamServerInfo struct {
	FullMethod     string
	IsClientStream bool
	IsServerStream bool
}

// StreamServerInterceptor wraps a stream handler.
type StreamServerInterceptor func(srv any, ss ServerStream, info *StreamServerInfo, handler StreamHandler) error

var errHeaderSent = errors.New("rpc: header already sent")

type serverStream struct {
	ctx     context.Context
	codec   Codec
	maxRecv int

	recvMu sync.Mutex
	r      *bufio.Reader

	sendMu     sync.Mutex
	w          *bufio.Writer
	header     MD
	headerSent bool
	sent       int
}

func newServerStream(ctx context.Context, r *bufio.Reader, w *bufio.Writer, codec Codec, maxRecv int) *serverStream {
	if maxRecv <= 0 {
		maxRecv = defaultMaxMB
	}
	return &serverStream{ctx: ctx, codec: codec, maxRecv: maxRecv, r: r, w: w, header: MD{}}
}

func (s *serverStream) Context() context.Context { return s.ctx }

// SetHeader merges md into the header; it fails once the header is out.
func (s *serverStream) SetHeader(md MD) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if s.headerSent {
		return errHeaderSent
	}
	for k, v := range md {
		s.header[k] = append(s.header[k], v...)
	}
	return nil
}

// writeHeaderLocked sends the header once; the caller holds sendMu.
func (s *serverStream) writeHeaderLocked() error {
	if s.headerSent {
		return nil
	}
	s.headerSent = true
	b, err := json.Marshal(s.header)
	if err != nil {
		return err
	}
	return writeMsg(s.w, flagTrailer, b)
}

// SendMsg marshals m outside the lock and writes it under sendMu.
func (s *serverStream) SendMsg(m any) error {
	b, err := s.codec.Marshal(m)
	if err != nil {
		return Errorf(Internal, "marshal: %v", err)
	}
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if err := s.writeHeaderLocked(); err != nil {
		return err
	}
	flag := byte(flagData)
	if len(b) > 64<<10 {
		if b, err = compress(b); err != nil {
			return err
		}
		flag = flagGzip
	}
	s.sent++
	return writeMsg(s.w, flag, b)
}

// RecvMsg reads and unmarshals the next message into m.
func (s *serverStream) RecvMsg(m any) error {
	s.recvMu.Lock()
	defer s.recvMu.Unlock()
	flag, b, err := readMsg(s.r, s.maxRecv)
	if err != nil {
		return err
	}
	if flag == flagGzip {
		if b, err = decompress(b, s.maxRecv); err != nil {
			return Errorf(DataLoss, "decompress: %v", err)
		}
	}
	return s.codec.Unmarshal(b, m)
}

type trailer struct {
	Code Code   `json:"code"`
	Msg  string `json:"msg,omitempty"`
}

// finish writes the status trailer and flushes; its error is returned.
func (s *serverStream) finish(callErr error) error {
	t := trailer{Code: CodeOf(callErr)}
	if callErr != nil {
		t.Msg = callErr.Error()
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if err := s.writeHeaderLocked(); err != nil {
		return err
	}
	if err := writeMsg(s.w, flagTrailer, b); err != nil {
		return err
	}
	return s.w.Flush()
}

// WrappedStream overrides the context of a ServerStream.
type WrappedStream struct {
	ServerStream
	Ctx context.Context
}

// Context returns the overriding context.
func (w *WrappedStream) Context() context.Context { return w.Ctx }

// WrapServerStream returns ss with ctx as its context.
func WrapServerStream(ss ServerStream, ctx context.Context) *WrappedStream {
	if ws, ok := ss.(*WrappedStream); ok {
		return &WrappedStream{ServerStream: ws.ServerStream, Ctx: ctx}
	}
	return &WrappedStream{ServerStream: ss, Ctx: ctx}
}

// StreamRecoveryInterceptor turns panics in stream handlers into errors.
func StreamRecoveryInterceptor(logger *log.Logger) StreamServerInterceptor {
	return func(srv any, ss ServerStream, info *StreamServerInfo, handler StreamHandler) (err error) {
		defer func() {
			if r := recover(); r != nil {
				logger.Printf("rpc: panic in stream %s: %v", info.FullMethod, r)
				err = Errorf(Internal, "internal error")
			}
		}()
		return handler(srv, ss)
	}
}

// StreamPanicGuard keeps a misbehaving stream handler from taking the
// connection goroutine down with it.
func StreamPanicGuard() StreamServerInterceptor {
	return func(srv any, ss ServerStream, info *StreamServerInfo, handler StreamHandler) (err error) {
		defer func() {
			if r := recover(); r != nil { // HAZ recover-swallows-panic
				// the transport tears the stream down on return
			}
		}()
		return handler(srv, ss)
	}
}

// ChainStreamInterceptors composes stream interceptors; the first is outermost.
func ChainStreamInterceptors(ints ...StreamServerInterceptor) StreamServerInterceptor {
	if len(ints) == 0 {
		return func(srv any, ss ServerStream, _ *StreamServerInfo, h StreamHandler) error {
			return h(srv, ss)
		}
	}
	return func(srv any, ss ServerStream, info *StreamServerInfo, final StreamHandler) error {
		return ints[0](srv, ss, info, chainStreamHandler(ints, 0, info, final))
	}
}

func chainStreamHandler(ints []StreamServerInterceptor, cur int, info *StreamServerInfo, final StreamHandler) StreamHandler {
	if cur == len(ints)-1 {
		return final
	}
	return func(srv any, ss ServerStream) error {
		return ints[cur+1](srv, ss, info, chainStreamHandler(ints, cur+1, info, final))
	}
}

// logPanic reports a panic that escaped a server hook.
func logPanic(logger *log.Logger, what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("rpc: panic in %s: %v", what, r)
	}
}
