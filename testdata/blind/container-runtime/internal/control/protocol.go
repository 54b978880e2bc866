// Package control implements the daemon's control socket: a unix socket
// speaking newline-delimited JSON requests and responses.
package control

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"syscall"
)

// Request is one command sent by crtctl.
type Request struct {
	Op     string            `json:"op"`
	ID     string            `json:"id,omitempty"`
	Args   []string          `json:"args,omitempty"`
	Signal int               `json:"signal,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
}

// Response answers a Request.
type Response struct {
	OK    bool            `json:"ok"`
	Error string          `json:"error,omitempty"`
	Data  json.RawMessage `json:"data,omitempty"`
}

func errorResponse(err error) Response {
	return Response{Error: err.Error()}
}

func writeResponse(w io.Writer, resp Response) error {
	return json.NewEncoder(w).Encode(resp)
}

// isClosed reports whether err means the connection was closed under us,
// which is how the server shuts connections down.
func isClosed(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
