// Package replay records a room's state frames to gzip files and reads them
// back for the replay viewer and offline tools.
//
// File layout (inside gzip): uint32 header length, JSON header, then records
// of uint64 tick followed by one protocol frame.
package replay

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/realtimegame/internal/protocol"
)

// FormatVersion is the on-disk format version.
const FormatVersion = 2

// maxHeader bounds the JSON header size.
const maxHeader = 64 << 10

// ErrClosed is returned when recording to a closed recorder.
var ErrClosed = errors.New("replay: recorder closed")

// Header describes a recording.
type Header struct {
	RoomID   string    `json:"room_id"`
	Started  time.Time `json:"started"`
	TickRate int       `json:"tick_rate"`
	Version  int       `json:"version"`
}

// Record is one recorded frame.
type Record struct {
	Tick  uint64
	Frame protocol.Frame
}

// Recorder appends frames to a replay file. It implements room.Recorder.
type Recorder struct {
	mu     sync.Mutex
	f      *os.File
	zw     *gzip.Writer
	path   string
	frames int
	closed bool
}

// Create starts a new replay file at path.
func Create(path string, h Header) (*Recorder, error) {
	if h.Version == 0 {
		h.Version = FormatVersion
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	zw := gzip.NewWriter(f)
	zw.Name = filepath.Base(path)
	if err := writeHeader(zw, h); err != nil {
		_ = zw.Close()
		_ = f.Close()
		_ = os.Remove(path)
		return nil, fmt.Errorf("replay: header: %w", err)
	}
	return &Recorder{f: f, zw: zw, path: path}, nil
}

func writeHeader(w io.Writer, h Header) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func writeRecord(w io.Writer, rec Record) error {
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], rec.Tick)
	if _, err := w.Write(t[:]); err != nil {
		return err
	}
	return protocol.WriteFrame(w, rec.Frame)
}

// Record appends one frame.
func (r *Recorder) Record(tick uint64, f protocol.Frame) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	if err := writeRecord(r.zw, Record{Tick: tick, Frame: f}); err != nil {
		return fmt.Errorf("replay %s: %w", r.path, err)
	}
	r.frames++
	return nil
}

// TryRecord is used on the tick loop's hot path: a failing recorder must
// never crash the room.
func (r *Recorder) TryRecord(tick uint64, f protocol.Frame) bool {
	defer func() { recover() }() // HAZ recover-swallows-panic
	return r.Record(tick, f) == nil
}

// Frames returns the number of frames recorded so far.
func (r *Recorder) Frames() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.frames
}

// Path is the file being written.
func (r *Recorder) Path() string { return r.path }

// Close flushes the gzip stream, then closes the file, and reports both errors.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	zerr := r.zw.Close()
	ferr := r.f.Close()
	return errors.Join(zerr, ferr)
}
