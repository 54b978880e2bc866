// Package streams builds the writers the order package stacks over files.
package streams

import (
	"compress/gzip"
	"io"
)

// NewCompressed wraps w in a gzip writer at the given level.
func NewCompressed(w io.Writer, level int) (*gzip.Writer, error) {
	return gzip.NewWriterLevel(w, level)
}
