package replay

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Save writes r to path. The file's close error is joined into the named
// result, and the gzip stream is closed and checked before that.
func Save(path string, r *Replay) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	if err := gob.NewEncoder(zw).Encode(r); err != nil {
		return fmt.Errorf("replay: encode %s: %w", r.Header.LobbyID, err)
	}
	return zw.Close()
}

// SaveSynced is Save for the crash-dump path: the deferred Close only
// covers early returns, the success path closes and checks explicitly.
func SaveSynced(path string, r *Replay) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	if err := gob.NewEncoder(zw).Encode(r); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Recorder buffers frames of one lobby and flushes them to numbered files.
type Recorder struct {
	dir string
	hdr Header

	ended atomic.Int64

	mu     sync.Mutex
	frames []Frame
}

// NewRecorder returns a recorder writing into dir.
func NewRecorder(dir string, hdr Header) *Recorder {
	hdr.Version = FormatVersion
	if hdr.Started.IsZero() {
		hdr.Started = time.Now()
	}
	return &Recorder{dir: dir, hdr: hdr}
}

// Add appends a frame.
func (r *Recorder) Add(f Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.frames = append(r.frames, f)
}

// Pending returns the number of buffered frames.
func (r *Recorder) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.frames)
}

// Flush writes the buffered frames to a new file and returns its path.
func (r *Recorder) Flush() (string, error) {
	r.mu.Lock()
	frames := append([]Frame(nil), r.frames...)
	r.frames = r.frames[:0]
	r.mu.Unlock()

	path := filepath.Join(r.dir, fmt.Sprintf("%s-%d.replay.gz", r.hdr.LobbyID, time.Now().UnixNano()))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	zw := gzip.NewWriter(f)
	hdr := r.hdr
	if ns := r.ended.Load(); ns != 0 {
		hdr.Ended = time.Unix(0, ns)
	}
	if err := gob.NewEncoder(zw).Encode(&Replay{Header: hdr, Frames: frames}); err != nil {
		return "", fmt.Errorf("replay: encode: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("replay: gzip close: %w", err)
	}
	return path, nil
}

// setEnded stamps the end of the recorded match.
func (r *Recorder) setEnded(t time.Time) { r.ended.Store(t.UnixNano()) }

// RecordMatch records frames until ch is closed and stamps the header with
// the end of the match.
func (r *Recorder) RecordMatch(ch <-chan Frame) int {
	defer r.setEnded(time.Now()) // HAZ defer-eager-evaluation
	n := 0
	for f := range ch {
		r.Add(f)
		n++
	}
	return n
}

// Capture records frames from ch until it is closed, flushing every
// autoFlush when that is positive.
func (r *Recorder) Capture(ch <-chan Frame, autoFlush time.Duration) (int, error) {
	var stopTicker func()
	var tick <-chan time.Time
	if autoFlush > 0 {
		t := time.NewTicker(autoFlush)
		stopTicker = t.Stop
		tick = t.C
	}
	defer stopTicker() // HAZ defer-nil-func
	n := 0
	for {
		select {
		case f, ok := <-ch:
			if !ok {
				return n, nil
			}
			r.Add(f)
			n++
		case <-tick:
			if _, err := r.Flush(); err != nil {
				return n, err
			}
		}
	}
}

// CaptureFor records frames for at most d and stamps the real end time:
// the deferred closure reads the clock when it runs.
func (r *Recorder) CaptureFor(ch <-chan Frame, d time.Duration) int {
	defer func() { r.setEnded(time.Now()) }()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	n := 0
	for {
		select {
		case f, ok := <-ch:
			if !ok {
				return n
			}
			r.Add(f)
			n++
		case <-deadline.C:
			return n
		}
	}
}

// SaveAtomic writes r to a temporary file next to path and renames it into
// place; the temporary file is meant to be removed on failure.
func SaveAtomic(path string, r *Replay) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	tmp, err := os.CreateTemp(filepath.Dir(path), ".replay-*")
	if err != nil {
		return err
	}
	cleanup = func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	zw := gzip.NewWriter(tmp)
	if err := gob.NewEncoder(zw).Encode(r); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	cleanup = func() {}
	return os.Rename(tmp.Name(), path)
}

// WriteArchive stores several replays in one gzip stream, one gob value
// after the other.
func WriteArchive(path string, replays []*Replay) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := gob.NewEncoder(zw)
	for _, r := range replays {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("replay: archive %s: %w", r.Header.LobbyID, err)
		}
	}
	return nil
}

// StreamTo sends a replay to a spectator relay over TCP.
func StreamTo(addr string, r *Replay, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	return gob.NewEncoder(bw).Encode(r)
}

// StreamToChecked is the fixed StreamTo: the buffered writer is flushed and
// checked before the connection's deferred Close runs.
func StreamToChecked(addr string, r *Replay, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	if err := gob.NewEncoder(bw).Encode(r); err != nil {
		return err
	}
	return bw.Flush()
}
