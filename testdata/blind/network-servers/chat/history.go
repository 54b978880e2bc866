package chat

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

type segment struct {
	path string
	f    *os.File
	w    *bufio.Writer
	size int64
}

// Sync flushes buffered lines and syncs the file.
func (sg *segment) Sync() error {
	if err := sg.w.Flush(); err != nil {
		return err
	}
	return sg.f.Sync()
}

func (sg *segment) close() error {
	return errors.Join(sg.Sync(), sg.f.Close())
}

// History is an append-only, segmented log of chat lines.
type History struct {
	dir        string
	maxSegment int64

	mu  sync.Mutex
	seg *segment
	seq int
}

// OpenHistory opens (or starts) a history in dir.
func OpenHistory(dir string, maxSegment int64) (*History, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	h := &History{dir: dir, maxSegment: maxSegment}
	seg, err := h.openSegment()
	if err != nil {
		return nil, err
	}
	h.seg = seg
	return h, nil
}

func (h *History) openSegment() (*segment, error) {
	h.seq++
	path := filepath.Join(h.dir, fmt.Sprintf("chat-%06d.log", h.seq))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return &segment{path: path, f: f, w: bufio.NewWriter(f), size: st.Size()}, nil
}

// roll closes the current segment and starts a new one. h.mu must be held.
func (h *History) roll() error {
	if err := h.seg.close(); err != nil {
		return err
	}
	seg, err := h.openSegment()
	if err != nil {
		return err
	}
	h.seg = seg
	return nil
}

func (h *History) active() *segment { return h.seg }

func (h *History) appendLocked(line string) error {
	if h.seg.size >= h.maxSegment {
		if err := h.roll(); err != nil {
			return err
		}
	}
	n, err := h.seg.w.WriteString(line + "\n")
	h.seg.size += int64(n)
	return err
}

// Append writes one line; it is durable after the next Sync.
func (h *History) Append(line string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.appendLocked(line)
}

// AppendBatch writes lines and syncs them before returning.
func (h *History) AppendBatch(lines []string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	defer h.active().Sync() // HAZ defer-call-chain
	for _, l := range lines {
		if err := h.appendLocked(l); err != nil {
			return err
		}
	}
	return nil
}

// Sync makes everything appended so far durable.
func (h *History) Sync() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seg.Sync()
}

// Close syncs and closes the current segment.
func (h *History) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seg.close()
}

// SaveTranscript appends a room transcript to path.
func SaveTranscript(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			return err
		}
	}
	return nil
}

// ExportTranscript writes a transcript through a buffer and reports any
// error from the flush or the close.
func ExportTranscript(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}

// LoadTranscript reads a transcript file.
func LoadTranscript(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// RoomConfig is a room preset loaded at startup.
type RoomConfig struct {
	Name  string
	Topic string
}

// LoadRooms reads one "name: topic" preset per *.room file in dir.
func LoadRooms(dir string) ([]RoomConfig, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.room"))
	if err != nil {
		return nil, err
	}
	var out []RoomConfig
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			name, topic, ok := strings.Cut(sc.Text(), ":")
			if !ok {
				continue
			}
			out = append(out, RoomConfig{Name: strings.TrimSpace(name), Topic: strings.TrimSpace(topic)})
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return out, nil
}

// ApplyRooms creates the preset rooms on s.
func (s *Server) ApplyRooms(presets []RoomConfig) {
	for _, p := range presets {
		r := s.room(p.Name)
		r.mu.Lock()
		r.topic = p.Topic
		r.mu.Unlock()
	}
}
