package fsx

import (
	"bufio"
	"io"
	"os"
)

// AppendTo opens path for appending, creating it if needed.
func AppendTo(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
}

// ReadFrom opens path read-only through OpenFile.
func ReadFrom(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY, 0)
}

// NewLineWriter buffers writes to w in 64 KiB chunks.
func NewLineWriter(w io.Writer) *bufio.Writer {
	return bufio.NewWriterSize(w, 64<<10)
}
