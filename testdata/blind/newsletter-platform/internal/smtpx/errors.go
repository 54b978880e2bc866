package smtpx

import (
	"errors"
	"fmt"
)

// Error is an SMTP reply that did not match the expected code class.
type Error struct {
	Code int
	Msg  string
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("smtp %d: %s", e.Code, e.Msg)
}

// Temporary reports a 4xx reply: the message may be retried later.
func (e *Error) Temporary() bool {
	return e.Code >= 400 && e.Code < 500
}

// IsTemporary unwraps err and reports whether it is a transient SMTP error.
func IsTemporary(err error) bool {
	var se *Error
	if errors.As(err, &se) {
		return se.Temporary()
	}
	return false
}
