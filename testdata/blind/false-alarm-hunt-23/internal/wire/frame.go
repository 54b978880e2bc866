// Package wire implements the framing of the fahdb client/server protocol.
//
// A frame is one kind byte, a big-endian uint32 field count and, for every
// field, a big-endian uint32 length followed by that many bytes.
package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
)

// Kind identifies a frame.
type Kind byte

// Frame kinds. Requests are sent by the client, responses by the server.
const (
	KindStartup   Kind = 'S'
	KindQuery     Kind = 'Q'
	KindExec      Kind = 'E'
	KindParse     Kind = 'P'
	KindCloseStmt Kind = 'C'
	KindBegin     Kind = 'B'
	KindCommit    Kind = 'M'
	KindRollback  Kind = 'R'
	KindPing      Kind = 'G'
	KindTerminate Kind = 'X'

	KindColumns Kind = 'T'
	KindRow     Kind = 'D'
	KindResult  Kind = 'N'
	KindDone    Kind = 'Z'
	KindError   Kind = '!'
)

const (
	maxFields   = 1 << 12
	maxFieldLen = 1 << 24
)

// ErrFrameTooLarge is returned for frames beyond the protocol limits.
var ErrFrameTooLarge = errors.New("wire: frame too large")

// Frame is one protocol message.
type Frame struct {
	Kind   Kind
	Fields []string
}

// ServerError is the error carried by a KindError frame.
type ServerError struct {
	Code    string
	Message string
}

func (e *ServerError) Error() string {
	return "fahdb: " + e.Code + ": " + e.Message
}

// Err returns the error carried by an error frame and nil for other frames.
func (f Frame) Err() error {
	if f.Kind != KindError {
		return nil
	}
	e := &ServerError{Code: "XX000", Message: "unknown error"}
	if len(f.Fields) > 0 {
		e.Code = f.Fields[0]
	}
	if len(f.Fields) > 1 {
		e.Message = f.Fields[1]
	}
	return e
}

// ErrorFrame builds the error frame for code and msg.
func ErrorFrame(code, msg string) Frame {
	return Frame{Kind: KindError, Fields: []string{code, msg}}
}

// Writer buffers frames; nothing reaches the underlying writer before Flush
// unless the buffer fills up.
type Writer struct {
	bw  *bufio.Writer
	hdr [5]byte
	n   [4]byte
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, 8<<10)}
}

// WriteFrame encodes f into the buffer.
func (w *Writer) WriteFrame(f Frame) error {
	if len(f.Fields) > maxFields {
		return ErrFrameTooLarge
	}
	w.hdr[0] = byte(f.Kind)
	binary.BigEndian.PutUint32(w.hdr[1:], uint32(len(f.Fields)))
	if _, err := w.bw.Write(w.hdr[:]); err != nil {
		return err
	}
	for _, s := range f.Fields {
		if len(s) > maxFieldLen {
			return ErrFrameTooLarge
		}
		binary.BigEndian.PutUint32(w.n[:], uint32(len(s)))
		if _, err := w.bw.Write(w.n[:]); err != nil {
			return err
		}
		if _, err := w.bw.WriteString(s); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes buffered frames to the underlying writer.
func (w *Writer) Flush() error { return w.bw.Flush() }

// Reader decodes frames.
type Reader struct {
	br *bufio.Reader
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 8<<10)}
}

// ReadFrame decodes the next frame. It returns io.EOF only when the stream
// ends cleanly between frames.
func (r *Reader) ReadFrame() (Frame, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r.br, hdr[:]); err != nil {
		return Frame{}, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > maxFields {
		return Frame{}, ErrFrameTooLarge
	}
	f := Frame{Kind: Kind(hdr[0]), Fields: make([]string, 0, n)}
	for i := uint32(0); i < n; i++ {
		s, err := r.readField()
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return Frame{}, err
		}
		f.Fields = append(f.Fields, s)
	}
	return f, nil
}

func (r *Reader) readField() (string, error) {
	var n [4]byte
	if _, err := io.ReadFull(r.br, n[:]); err != nil {
		return "", err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > maxFieldLen {
		return "", ErrFrameTooLarge
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(r.br, buf); err != nil {
		return "", err
	}
	return string(buf), nil
}
