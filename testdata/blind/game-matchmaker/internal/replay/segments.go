package replay

import (
	"fmt"
	"log"
)

// segment is one part file of a long replay.
type segment struct {
	path   string
	frames []Frame
}

// flush writes the segment; more says whether another part follows.
func (s *segment) flush(hdr Header, more bool) error {
	hdr.Version = FormatVersion
	hdr.Continued = more
	return Save(s.path, &Replay{Header: hdr, Frames: s.frames})
}

// flushLogged is flush for deferred use: the error is logged.
func (s *segment) flushLogged(hdr Header) {
	if err := s.flush(hdr, false); err != nil {
		log.Printf("replay: flush %s: %v", s.path, err)
	}
}

// SegmentWriter splits a long match into part files of at most max frames.
// It is used by one goroutine, the lobby's recorder.
type SegmentWriter struct {
	base string
	hdr  Header
	max  int
	segs []*segment
}

// NewSegmentWriter writes base.part0, base.part1, ...
func NewSegmentWriter(base string, hdr Header, max int) *SegmentWriter {
	if max <= 0 {
		max = 10000
	}
	return &SegmentWriter{base: base, hdr: hdr, max: max}
}

// current returns the open segment, starting a new one when the last is
// full.
func (w *SegmentWriter) current() *segment {
	if n := len(w.segs); n > 0 && len(w.segs[n-1].frames) < w.max {
		return w.segs[n-1]
	}
	s := &segment{path: fmt.Sprintf("%s.part%d", w.base, len(w.segs))}
	w.segs = append(w.segs, s)
	return s
}

// WriteAll appends frames, writing each segment as it fills up; the
// segment still open when WriteAll returns is meant to be flushed on the
// way out.
func (w *SegmentWriter) WriteAll(frames []Frame) error {
	defer w.current().flushLogged(w.hdr) // HAZ defer-call-chain
	for _, f := range frames {
		seg := w.current()
		seg.frames = append(seg.frames, f)
		if len(seg.frames) == w.max {
			if err := seg.flush(w.hdr, true); err != nil {
				return fmt.Errorf("replay: segment %s: %w", seg.path, err)
			}
		}
	}
	return nil
}

// Close flushes the last segment if it holds frames. The segment is
// looked up when Close runs, not earlier.
func (w *SegmentWriter) Close() error {
	if len(w.segs) == 0 {
		return nil
	}
	last := w.segs[len(w.segs)-1]
	if len(last.frames) == 0 || len(last.frames) == w.max {
		return nil
	}
	return last.flush(w.hdr, false)
}
