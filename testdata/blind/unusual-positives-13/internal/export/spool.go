package export

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up13/internal/trace"
)

// Segment is one file of the export spool.
type Segment struct {
	Path   string
	buf    bytes.Buffer
	sealed bool
	size   int
}

// Seal freezes the segment; sealed segments are written by Flush.
func (s *Segment) Seal() {
	s.sealed = true
	s.size = s.buf.Len()
}

// Spool splits exported lines over size-limited segments.
type Spool struct {
	dir   string
	limit int
	segs  []*Segment
	rec   *trace.Recorder
}

// NewSpool returns a spool writing segments of at most limit bytes to dir.
func NewSpool(dir string, limit int, rec *trace.Recorder) *Spool {
	s := &Spool{dir: dir, limit: limit, rec: rec}
	s.roll()
	return s
}

// current returns the segment being filled.
func (s *Spool) current() *Segment { return s.segs[len(s.segs)-1] }

// roll starts a new segment.
func (s *Spool) roll() {
	name := fmt.Sprintf("seg-%05d.txt", len(s.segs))
	s.segs = append(s.segs, &Segment{Path: filepath.Join(s.dir, name)})
}

// Append writes lines into the spool and seals the segment in use when done.
func (s *Spool) Append(lines []string) {
	defer s.current().Seal() // HAZ defer-call-chain
	for _, l := range lines {
		if cur := s.current(); cur.buf.Len()+len(l)+1 > s.limit && cur.buf.Len() > 0 {
			cur.Seal()
			s.roll()
		}
		s.current().buf.WriteString(l)
		s.current().buf.WriteByte('\n')
	}
}

// AppendScoped is Append with the current segment looked up at exit by a
// deferred closure, and a span opened now and closed on return.
func (s *Spool) AppendScoped(lines []string) {
	defer s.rec.Start("spool.append")()
	defer func() { s.current().Seal() }()
	for _, l := range lines {
		if cur := s.current(); cur.buf.Len()+len(l)+1 > s.limit && cur.buf.Len() > 0 {
			cur.Seal()
			s.roll()
		}
		s.current().buf.WriteString(l)
		s.current().buf.WriteByte('\n')
	}
}

// Flush writes the sealed segments that are not on disk yet.
func (s *Spool) Flush() error {
	for _, seg := range s.segs {
		if !seg.sealed || seg.size == 0 {
			continue
		}
		if err := os.WriteFile(seg.Path, seg.buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		seg.size = 0
	}
	return nil
}

// Close seals the open segment and writes everything to disk.
func (s *Spool) Close() {
	defer func() error { // HAZ defer-ineffective-return
		if err := s.Flush(); err != nil {
			return fmt.Errorf("spool: flush on close: %w", err)
		}
		return nil
	}()
	s.current().Seal()
	log.Printf("spool: closing %d segments in %s", len(s.segs), s.dir)
}

// Shutdown seals, flushes and reports the segment count; the log line is
// deferred with a snapshot of values that do not change afterwards.
func (s *Spool) Shutdown() error {
	n, dir := len(s.segs), s.dir
	defer log.Printf("spool: shut down with %d segments in %s", n, dir)
	s.current().Seal()
	return s.Flush()
}

// Stamp writes a completion marker into the spool directory.
func (s *Spool) Stamp(label string) error {
	defer log.Printf("spool: %s stamped at %s", label, time.Now().Format(time.RFC3339)) // HAZ defer-eager-evaluation
	if err := s.Flush(); err != nil {
		return err
	}
	marker := filepath.Join(s.dir, label+".done")
	return os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
}
