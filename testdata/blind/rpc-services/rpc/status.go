// Package rpc is a small gRPC-like RPC layer on top of net/http and
// encoding/json: unary and server-streaming methods, metadata, status codes
// and interceptor chains on both sides.
package rpc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Code is an RPC status code, modelled on the gRPC codes.
type Code int

// The status codes, in gRPC order.
const (
	OK Code = iota
	Canceled
	Unknown
	InvalidArgument
	DeadlineExceeded
	NotFound
	AlreadyExists
	PermissionDenied
	ResourceExhausted
	FailedPrecondition
	Aborted
	OutOfRange
	Unimplemented
	Internal
	Unavailable
	DataLoss
	Unauthenticated
)

var codeNames = [...]string{
	"OK", "CANCELED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
	"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
	"FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
	"INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
}

func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("CODE(%d)", int(c))
}

// Status is the error value carried over the wire.
type Status struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Details map[string]string `json:"details,omitempty"`
}

func (s *Status) Error() string {
	return fmt.Sprintf("rpc error: code = %s desc = %s", s.Code, s.Message)
}

// Errorf builds a *Status error.
func Errorf(c Code, format string, args ...any) error {
	return &Status{Code: c, Message: fmt.Sprintf(format, args...)}
}

// StatusOf converts any error into a Status. A nil error is OK.
func StatusOf(err error) *Status {
	if err == nil {
		return &Status{Code: OK}
	}
	var st *Status
	if errors.As(err, &st) {
		return st
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &Status{Code: DeadlineExceeded, Message: err.Error()}
	case errors.Is(err, context.Canceled):
		return &Status{Code: Canceled, Message: err.Error()}
	}
	return &Status{Code: Unknown, Message: err.Error()}
}

// CodeOf returns the status code of err.
func CodeOf(err error) Code { return StatusOf(err).Code }

// HTTPStatus maps a code to the HTTP status used on the wire.
func (c Code) HTTPStatus() int {
	switch c {
	case OK:
		return http.StatusOK
	case InvalidArgument, FailedPrecondition, OutOfRange:
		return http.StatusBadRequest
	case Unauthenticated:
		return http.StatusUnauthorized
	case PermissionDenied:
		return http.StatusForbidden
	case NotFound:
		return http.StatusNotFound
	case AlreadyExists, Aborted:
		return http.StatusConflict
	case ResourceExhausted:
		return http.StatusTooManyRequests
	case Unimplemented:
		return http.StatusNotImplemented
	case Unavailable:
		return http.StatusServiceUnavailable
	case DeadlineExceeded:
		return http.StatusGatewayTimeout
	case Canceled:
		return 499
	}
	return http.StatusInternalServerError
}

// CodeFromHTTP guesses a code for a response that carried no status body.
func CodeFromHTTP(status int) Code {
	switch status {
	case http.StatusOK:
		return OK
	case http.StatusBadRequest:
		return InvalidArgument
	case http.StatusUnauthorized:
		return Unauthenticated
	case http.StatusForbidden:
		return PermissionDenied
	case http.StatusNotFound, http.StatusNotImplemented:
		return Unimplemented
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable:
		return Unavailable
	case http.StatusGatewayTimeout:
		return DeadlineExceeded
	}
	return Unknown
}

// Retryable reports whether a call that failed with c may be retried safely.
func (c Code) Retryable() bool {
	return c == Unavailable || c == ResourceExhausted || c == Aborted
}
