// Package recording writes the media tracks of a room to disk as
// length-prefixed packet segments, rotating segments by size, and produces
// the manifest and archives that the post-processing pipeline consumes.
package recording

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Packet is one recorded RTP-like packet.
type Packet struct {
	SSRC      uint32
	Seq       uint16
	Timestamp uint32
	Payload   []byte
}

const packetHeaderLen = 14 // ssrc(4) seq(2) ts(4) len(4)

// TrackWriter appends length-prefixed packets to one segment file.
type TrackWriter struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	n    int64
	pkts int
}

func createTrack(path string) (*TrackWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &TrackWriter{path: path, f: f, bw: bufio.NewWriterSize(f, 64<<10)}, nil
}

// WritePacket appends p to the segment.
func (w *TrackWriter) WritePacket(p Packet) error {
	var hdr [packetHeaderLen]byte
	binary.BigEndian.PutUint32(hdr[0:4], p.SSRC)
	binary.BigEndian.PutUint16(hdr[4:6], p.Seq)
	binary.BigEndian.PutUint32(hdr[6:10], p.Timestamp)
	binary.BigEndian.PutUint32(hdr[10:14], uint32(len(p.Payload)))
	if _, err := w.bw.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := w.bw.Write(p.Payload); err != nil {
		return err
	}
	w.n += int64(packetHeaderLen + len(p.Payload))
	w.pkts++
	return nil
}

// Size is the number of bytes written to the segment so far.
func (w *TrackWriter) Size() int64 { return w.n }

// Close flushes buffered packets, syncs and closes the segment. Closing an
// already closed writer is a no-op.
func (w *TrackWriter) Close() error {
	if w.f == nil {
		return nil
	}
	ferr := w.bw.Flush()
	serr := w.f.Sync()
	cerr := w.f.Close()
	w.f = nil
	return errors.Join(ferr, serr, cerr)
}

// Recorder records the tracks of one room into dir.
type Recorder struct {
	dir        string
	maxSegment int64
	log        *log.Logger
	paused     atomic.Int32

	mu     sync.Mutex
	tracks map[uint32]*TrackWriter
	seq    map[uint32]int
	closed []TrackEntry
}

// NewRecorder creates dir if needed.
func NewRecorder(dir string, maxSegment int64, lg *log.Logger) (*Recorder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	return &Recorder{
		dir:        dir,
		maxSegment: maxSegment,
		log:        lg,
		tracks:     make(map[uint32]*TrackWriter),
		seq:        make(map[uint32]int),
	}, nil
}

func (r *Recorder) segmentPath(ssrc uint32, n int) string {
	return filepath.Join(r.dir, fmt.Sprintf("track-%08x-%04d.seg", ssrc, n))
}

// Track returns the open writer for ssrc, creating the first segment.
func (r *Recorder) Track(ssrc uint32) (*TrackWriter, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w, ok := r.tracks[ssrc]; ok {
		return w, nil
	}
	w, err := createTrack(r.segmentPath(ssrc, r.seq[ssrc]))
	if err != nil {
		return nil, err
	}
	r.tracks[ssrc] = w
	return w, nil
}

// rotateLocked closes the current segment of ssrc and opens the next one.
// The caller holds r.mu.
func (r *Recorder) rotateLocked(ssrc uint32) (*TrackWriter, error) {
	if old, ok := r.tracks[ssrc]; ok {
		r.closed = append(r.closed, TrackEntry{SSRC: ssrc, Path: old.path, Packets: old.pkts})
		if err := old.Close(); err != nil {
			return nil, fmt.Errorf("recording: close %s: %w", old.path, err)
		}
	}
	r.seq[ssrc]++
	w, err := createTrack(r.segmentPath(ssrc, r.seq[ssrc]))
	if err != nil {
		delete(r.tracks, ssrc)
		return nil, err
	}
	r.tracks[ssrc] = w
	return w, nil
}

// Write records pkt, rotating to a new segment when the current one is full.
func (r *Recorder) Write(pkt Packet) error {
	if r.paused.Load() > 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	w, ok := r.tracks[pkt.SSRC]
	if !ok || w.Size() >= r.maxSegment {
		var err error
		if w, err = r.rotateLocked(pkt.SSRC); err != nil {
			return err
		}
	}
	return w.WritePacket(pkt)
}

// Pause stops Write from recording until the returned resume is called.
func (r *Recorder) Pause() (resume func()) {
	r.paused.Add(1)
	var once sync.Once
	return func() { once.Do(func() { r.paused.Add(-1) }) }
}

// current returns the segment currently open for ssrc.
func (r *Recorder) current(ssrc uint32) *TrackWriter {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tracks[ssrc]
}

// RecordStream writes every packet of one track until pkts is closed or ctx
// ends, and closes the track's segment on the way out.
func (r *Recorder) RecordStream(ctx context.Context, ssrc uint32, pkts <-chan Packet) error {
	if _, err := r.Track(ssrc); err != nil {
		return err
	}
	defer r.current(ssrc).Close() // HAZ defer-call-chain
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case pkt, ok := <-pkts:
			if !ok {
				return nil
			}
			if err := r.Write(pkt); err != nil {
				return err
			}
		}
	}
}

// flushOpen flushes the buffered packets of every open segment.
func (r *Recorder) flushOpen() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []error
	for _, w := range r.tracks {
		errs = append(errs, w.bw.Flush())
	}
	return errors.Join(errs...)
}

// StartFlusher flushes buffered packets every interval so that a crash
// loses at most one interval of media. A bad interval is logged, not fatal.
func (r *Recorder) StartFlusher(ctx context.Context, every time.Duration) {
	defer func() {
		if rec := recover(); rec != nil {
			r.log.Printf("recording: flusher not started: %v", rec)
		}
	}()
	// NewTicker panics on a non-positive interval.
	t := time.NewTicker(every)
	go func() { // HAZ goroutine-outside-recover
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := r.flushOpen(); err != nil {
					r.log.Printf("recording: periodic flush: %v", err)
				}
			}
		}
	}()
}

// FlushAll flushes the buffered packets of every open track concurrently.
// Callers stop the record loops first; FlushAll does not take the writers'
// locks.
func (r *Recorder) FlushAll() error {
	r.mu.Lock()
	ws := make([]*TrackWriter, 0, len(r.tracks))
	for _, w := range r.tracks {
		ws = append(ws, w)
	}
	r.mu.Unlock()

	var wg sync.WaitGroup
	errs := make(chan error, len(ws))
	for _, w := range ws {
		wg.Add(1)
		go func(w *TrackWriter) {
			defer wg.Done()
			if err := w.bw.Flush(); err != nil {
				errs <- fmt.Errorf("flush %s: %w", w.path, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(w)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// TrackEntry is one segment in the manifest.
type TrackEntry struct {
	SSRC    uint32 `json:"ssrc"`
	Path    string `json:"path"`
	Packets int    `json:"packets"`
}

// Manifest lists a room recording's segments.
type Manifest struct {
	Room     string       `json:"room"`
	Finished time.Time    `json:"finished"`
	Tracks   []TrackEntry `json:"tracks"`
}

// Finish closes every open segment and writes the recording manifest.
func (r *Recorder) Finish(manifestPath string) error {
	r.mu.Lock()
	open := r.tracks
	r.tracks = make(map[uint32]*TrackWriter)
	m := Manifest{Room: filepath.Base(r.dir), Finished: time.Now()}
	m.Tracks = append(m.Tracks, r.closed...)
	r.mu.Unlock()

	for ssrc, w := range open {
		m.Tracks = append(m.Tracks, TrackEntry{SSRC: ssrc, Path: w.path, Packets: w.pkts})
	}
	defer func() error { // HAZ defer-ineffective-return
		var errs []error
		for _, w := range open {
			errs = append(errs, w.Close())
		}
		return errors.Join(errs...)
	}()
	return WriteManifest(manifestPath, m)
}

// WriteManifest writes m as indented JSON.
func WriteManifest(path string, m Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// WriteManifestAtomic writes m to a temporary file, syncs it and renames it
// over path, so readers never see a half-written manifest.
func WriteManifestAtomic(path string, m Manifest) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".manifest-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := json.NewEncoder(tmp).Encode(m); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ArchiveSegment gzips a finished segment next to the original.
func ArchiveSegment(src string) (dst string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	dst = src + ".gz"
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, out.Close()) }() // HAZ defer-order-inverted
	zw.Name = filepath.Base(src)
	if _, err := io.Copy(zw, in); err != nil {
		return "", err
	}
	return dst, nil
}

// ArchiveAll compresses the given segments in parallel and returns the
// archive paths of those that succeeded.
func ArchiveAll(paths []string, lg *log.Logger) []string {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []string
	)
	for _, p := range paths {
		wg.Add(1)
		go func(src string) {
			dst, err := ArchiveSegment(src)
			if err != nil {
				lg.Printf("recording: archive %s: %v", src, err)
				return
			}
			mu.Lock()
			out = append(out, dst)
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}
	wg.Wait()
	sort.Strings(out)
	return out
}

// WriteTar streams the given files as a tar archive.
func WriteTar(w io.Writer, paths []string) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, p := range paths {
		if err := addTarFile(tw, p); err != nil {
			return err
		}
	}
	return nil
}

func addTarFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Concat streams the given segments, in order, into dst.
func Concat(dst io.Writer, paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := io.Copy(dst, f)
		total += n
		if err != nil {
			return total, fmt.Errorf("concat %s: %w", p, err)
		}
	}
	return total, nil
}

// Checksum computes a CRC-32 over all segments, holding one file open at a
// time.
func Checksum(paths []string) (uint32, error) {
	h := crc32.NewIEEE()
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(h, f)
			return err
		}()
		if err != nil {
			return 0, fmt.Errorf("checksum %s: %w", p, err)
		}
	}
	return h.Sum32(), nil
}
