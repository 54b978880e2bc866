package web

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"
	"strconv"
)

// ResponseWriter wraps an http.ResponseWriter and records the status code and
// the number of body bytes written, for logging and metrics middleware.
type ResponseWriter struct {
	http.ResponseWriter
	status      int
	size        int64
	wroteHeader bool
}

// NewResponseWriter wraps w unless it is already one of ours.
func NewResponseWriter(w http.ResponseWriter) *ResponseWriter {
	if rw, ok := w.(*ResponseWriter); ok {
		return rw
	}
	return &ResponseWriter{ResponseWriter: w, status: http.StatusOK}
}

// WriteHeader records the first status code and forwards it.
func (w *ResponseWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.status = code
	w.wroteHeader = true
	w.ResponseWriter.WriteHeader(code)
}

// Write forwards p and counts the bytes that reached the client.
func (w *ResponseWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(p)
	w.size += int64(n)
	return n, err
}

// Status is the status code sent (200 when the handler never set one).
func (w *ResponseWriter) Status() int { return w.status }

// Size is the number of body bytes written so far.
func (w *ResponseWriter) Size() int64 { return w.size }

// Written reports whether the header has been sent.
func (w *ResponseWriter) Written() bool { return w.wroteHeader }

// Flush implements http.Flusher when the underlying writer does.
func (w *ResponseWriter) Flush() {
	f, ok := w.ResponseWriter.(http.Flusher)
	if !ok {
		return
	}
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	f.Flush()
}

// Hijack implements http.Hijacker when the underlying writer does.
func (w *ResponseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("web: underlying ResponseWriter cannot be hijacked")
	}
	return hj.Hijack()
}

// Unwrap lets http.ResponseController reach the original writer.
func (w *ResponseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// BufferedResponse collects a handler's output so that middleware can still
// replace it (for example with an error page) before anything reaches the client.
type BufferedResponse struct {
	dst      http.ResponseWriter
	header   http.Header
	status   int
	buf      bytes.Buffer
	onCommit func(status, size int) error
}

// NewBufferedResponse buffers for dst; onCommit, when set, is told what was sent.
func NewBufferedResponse(dst http.ResponseWriter, onCommit func(status, size int) error) *BufferedResponse {
	return &BufferedResponse{dst: dst, header: make(http.Header), status: http.StatusOK, onCommit: onCommit}
}

// Header returns the buffered header map.
func (b *BufferedResponse) Header() http.Header { return b.header }

// WriteHeader records the status to send at commit time.
func (b *BufferedResponse) WriteHeader(code int) { b.status = code }

// Write appends to the buffer.
func (b *BufferedResponse) Write(p []byte) (int, error) { return b.buf.Write(p) }

// Status is the buffered status code.
func (b *BufferedResponse) Status() int { return b.status }

// Reset drops everything buffered so far.
func (b *BufferedResponse) Reset() {
	b.buf.Reset()
	b.status = http.StatusOK
	clear(b.header)
}

// Commit copies the buffered status, headers and body to the real writer and
// reports the outcome to the commit hook.
func (b *BufferedResponse) Commit() error {
	var err error
	size := b.buf.Len()
	defer func() { // HAZ defer-ineffective-return
		if b.onCommit == nil {
			return
		}
		if hookErr := b.onCommit(b.status, size); hookErr != nil {
			err = hookErr
		}
	}()
	dst := b.dst.Header()
	for k, v := range b.header {
		dst[k] = v
	}
	dst.Set("Content-Length", strconv.Itoa(size))
	b.dst.WriteHeader(b.status)
	_, err = b.buf.WriteTo(b.dst)
	return err
}
