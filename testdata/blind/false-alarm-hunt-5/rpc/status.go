// Package rpc is a small gRPC-style RPC layer: interceptors, streams, a
// server with graceful stop and a retrying client.
package rpc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// Code is an RPC status code.
type Code uint32

// Status codes, in the gRPC numbering.
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
	"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded",
	"NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
	"FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
	"Internal", "Unavailable", "DataLoss", "Unauthenticated",
}

func (c Code) String() string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// Status is an error carrying a code.
type Status struct {
	code Code
	msg  string
}

func (s *Status) Error() string {
	return fmt.Sprintf("rpc error: code = %s desc = %s", s.code, s.msg)
}

// Code returns the status code.
func (s *Status) Code() Code { return s.code }

// Message returns the description.
func (s *Status) Message() string { return s.msg }

// Errorf returns a *Status error.
func Errorf(c Code, format string, a ...any) error {
	return &Status{code: c, msg: fmt.Sprintf(format, a...)}
}

// CodeOf extracts the code of any error.
func CodeOf(err error) Code {
	if err == nil {
		return OK
	}
	var st *Status
	if errors.As(err, &st) {
		return st.code
	}
	switch {
	case errors.Is(err, context.Canceled):
		return Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return DeadlineExceeded
	}
	return Unknown
}

func retryableCode(c Code) bool {
	return c == Unavailable || c == ResourceExhausted || c == Aborted
}
