package rpc

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
)

// ServerStream is the sending side of a server-streaming call.
type ServerStream struct {
	ctx        context.Context
	w          http.ResponseWriter
	fl         http.Flusher
	mu         sync.Mutex
	header     MD
	headerSent bool
	sent       int
}

func newServerStream(ctx context.Context, w http.ResponseWriter, fl http.Flusher) *ServerStream {
	return &ServerStream{ctx: ctx, w: w, fl: fl, header: MD{}}
}

// Context returns the call context.
func (ss *ServerStream) Context() context.Context { return ss.ctx }

// SetHeader adds response metadata; it fails once the first message is out.
func (ss *ServerStream) SetHeader(md MD) error {
	ss.mu.Lock()
	if ss.headerSent {
		ss.mu.Unlock()
		return Errorf(FailedPrecondition, "header already sent")
	}
	for k, vs := range md {
		ss.header.Append(k, vs...)
	}
	ss.mu.Unlock()
	return nil
}

// writeHeaderLocked must be called with ss.mu held.
func (ss *ServerStream) writeHeaderLocked() {
	if ss.headerSent {
		return
	}
	ss.header.ToHeader(ss.w.Header())
	ss.w.Header().Set("Content-Type", "application/x-ndjson")
	ss.w.WriteHeader(http.StatusOK)
	ss.headerSent = true
}

// Send writes one message and flushes it to the client.
func (ss *ServerStream) Send(msg any) error {
	if err := ss.ctx.Err(); err != nil {
		return StatusOf(err)
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return Errorf(Internal, "encode message: %v", err)
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.writeHeaderLocked()
	if err := writeFrame(ss.w, frame{Data: data}); err != nil {
		return Errorf(Unavailable, "write frame: %v", err)
	}
	ss.fl.Flush()
	ss.sent++
	return nil
}

func writeFrame(w io.Writer, f frame) error {
	buf, err := json.Marshal(f)
	if err != nil {
		return err
	}
	buf = append(buf, '\n')
	_, err = w.Write(buf)
	return err
}

// finish writes the trailing status frame, or a plain status response when
// nothing was sent yet.
func (ss *ServerStream) finish(err error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if !ss.headerSent && err != nil {
		writeStatus(ss.w, StatusOf(err))
		ss.headerSent = true
		return
	}
	ss.writeHeaderLocked()
	_ = writeFrame(ss.w, frame{Status: StatusOf(err)})
	ss.fl.Flush()
}

// Sent returns how many messages were sent.
func (ss *ServerStream) Sent() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.sent
}
