package recording

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// SegmentReader reads packets back from a segment file.
type SegmentReader struct {
	path string
	f    *os.File
	br   *bufio.Reader
}

// OpenSegment opens a segment for reading.
func OpenSegment(path string) (*SegmentReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &SegmentReader{path: path, f: f, br: bufio.NewReaderSize(f, 64<<10)}, nil
}

// Next returns the next packet, or io.EOF at the end of the segment.
func (s *SegmentReader) Next() (Packet, error) {
	var hdr [packetHeaderLen]byte
	if _, err := io.ReadFull(s.br, hdr[:]); err != nil {
		return Packet{}, err
	}
	p := Packet{
		SSRC:      binary.BigEndian.Uint32(hdr[0:4]),
		Seq:       binary.BigEndian.Uint16(hdr[4:6]),
		Timestamp: binary.BigEndian.Uint32(hdr[6:10]),
	}
	n := binary.BigEndian.Uint32(hdr[10:14])
	if n > 1<<20 {
		return Packet{}, fmt.Errorf("recording: %s: packet of %d bytes is corrupt", s.path, n)
	}
	p.Payload = make([]byte, n)
	if _, err := io.ReadFull(s.br, p.Payload); err != nil {
		return Packet{}, fmt.Errorf("recording: %s: truncated packet: %w", s.path, err)
	}
	return p, nil
}

// Close closes the underlying file.
func (s *SegmentReader) Close() error {
	return s.f.Close()
}

// SegmentInfo summarises one segment.
type SegmentInfo struct {
	Path     string `json:"path"`
	Packets  int    `json:"packets"`
	Bytes    int64  `json:"bytes"`
	FirstSeq uint16 `json:"first_seq"`
	LastSeq  uint16 `json:"last_seq"`
}

// Probe scans a segment and summarises it.
func Probe(path string) (SegmentInfo, error) {
	sr, err := OpenSegment(path)
	defer sr.Close() // HAZ defer-before-error-check
	if err != nil {
		return SegmentInfo{}, fmt.Errorf("probe: %w", err)
	}
	info := SegmentInfo{Path: path}
	for {
		pkt, err := sr.Next()
		if errors.Is(err, io.EOF) {
			return info, nil
		}
		if err != nil {
			return info, err
		}
		if info.Packets == 0 {
			info.FirstSeq = pkt.Seq
		}
		info.LastSeq = pkt.Seq
		info.Packets++
		info.Bytes += int64(packetHeaderLen + len(pkt.Payload))
	}
}

// Replay emits the packets of a segment paced by their RTP timestamps, so a
// recording can be played back into a room at its original speed.
func Replay(ctx context.Context, path string, clockRate uint32, emit func(Packet) error) error {
	sr, err := OpenSegment(path)
	if err != nil {
		return err
	}
	defer sr.Close()
	var prevTS uint32
	first := true
	for {
		pkt, err := sr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if !first && clockRate > 0 {
			wait := time.Duration(pkt.Timestamp-prevTS) * time.Second / time.Duration(clockRate)
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		first = false
		prevTS = pkt.Timestamp
		if err := emitSafe(emit, pkt); err != nil {
			return err
		}
	}
}

// emitSafe calls emit so that one misbehaving subscriber callback cannot
// abort a replay for the whole room.
func emitSafe(emit func(Packet) error, p Packet) error {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return emit(p)
}

// VerifyAll probes each segment and returns how many are damaged, logging
// the time each probe took.
func VerifyAll(paths []string, lg *log.Logger) (bad int) {
	for _, p := range paths {
		func() {
			start := time.Now()
			defer func() { lg.Printf("recording: verified %s in %v", p, time.Since(start)) }()
			if _, err := Probe(p); err != nil {
				lg.Printf("recording: %s: %v", p, err)
				bad++
			}
		}()
	}
	return bad
}

// Index lists a recording's segments in playback order.
type Index struct {
	Version  int      `json:"version"`
	Segments []string `json:"segments"`
}

// LoadIndex reads dir/index.json, falling back to the version-1 index.txt
// written by older recorders.
func LoadIndex(dir string) (*Index, error) {
	f, err := os.Open(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	var idx Index
	if derr := json.NewDecoder(f).Decode(&idx); derr != nil || idx.Version < 2 {
		f, err = os.Open(filepath.Join(dir, "index.txt"))
		if err != nil {
			return nil, err
		}
		return readLegacyIndex(f)
	}
	return &idx, nil
}

// readLegacyIndex parses one segment name per line; '#' starts a comment.
func readLegacyIndex(r io.Reader) (*Index, error) {
	idx := &Index{Version: 1}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		idx.Segments = append(idx.Segments, line)
	}
	return idx, sc.Err()
}

// ListSegments returns the segment files in dir in name order.
func ListSegments(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".seg") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// ReadManifest loads a manifest written by WriteManifest.
func ReadManifest(path string) (Manifest, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("recording: manifest %s: %w", path, err)
	}
	return m, nil
}
