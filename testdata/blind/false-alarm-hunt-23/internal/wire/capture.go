package wire

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteCapture writes frames to path, replacing it. The file is synced and
// the error of its Close is reported through the named result.
func WriteCapture(path string, frames []Frame) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	w := NewWriter(f)
	for _, fr := range frames {
		if err := w.WriteFrame(fr); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// AppendCapture appends frames to an existing capture file. The deferred
// Close only covers the error paths: on success the file is closed explicitly
// and that error is returned.
func AppendCapture(path string, frames []Frame) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	w := NewWriter(f)
	for _, fr := range frames {
		if err := w.WriteFrame(fr); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// ReadCapture reads every frame of a capture file.
func ReadCapture(path string) ([]Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := NewReader(f)
	var out []Frame
	for {
		fr, err := r.ReadFrame()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("wire: %s: frame %d: %w", path, len(out), err)
		}
		out = append(out, fr)
	}
}
