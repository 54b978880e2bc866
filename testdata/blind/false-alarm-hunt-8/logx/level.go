// Package logx is a small structured logger with a buffered asynchronous
// writer and a size-rotated file sink.
package logx

import (
	"errors"
	"fmt"
	"strings"
)

// ErrClosed is returned by writers that have been closed.
var ErrClosed = errors.New("logx: writer closed")

// Level is a record severity.
type Level int8

// Levels, lowest first.
const (
	LevelDebug Level = iota - 1
	LevelInfo
	LevelWarn
	LevelError
)

// String returns the upper-case name used in output.
func (l Level) String() string {
	switch l {
	case LevelDebug:
		return "DEBUG"
	case LevelInfo:
		return "INFO"
	case LevelWarn:
		return "WARN"
	case LevelError:
		return "ERROR"
	}
	return fmt.Sprintf("LEVEL(%d)", int8(l))
}

// ParseLevel parses a level name case-insensitively.
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return LevelDebug, nil
	case "info", "":
		return LevelInfo, nil
	case "warn", "warning":
		return LevelWarn, nil
	case "error":
		return LevelError, nil
	}
	return LevelInfo, fmt.Errorf("logx: unknown level %q", s)
}
