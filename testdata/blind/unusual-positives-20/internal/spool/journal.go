package spool

import (
	"bufio"
	"io"
	"os"
)

// journal is one append transaction on the current segment.
type journal struct {
	f *os.File
	w *bufio.Writer
	n int
}

func (s *Spool) begin() (*journal, error) {
	f, err := os.OpenFile(s.segPath(s.seq), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &journal{f: f, w: bufio.NewWriter(f)}, nil
}

func (j *journal) write(line string) error {
	j.n++
	_, err := j.w.WriteString(line + "\n")
	return err
}

// commit makes the lines durable and closes the segment.
func (j *journal) commit() error {
	if err := j.w.Flush(); err != nil {
		j.f.Close()
		return err
	}
	if err := j.f.Sync(); err != nil {
		j.f.Close()
		return err
	}
	return j.f.Close()
}

// abort drops the buffered lines.
func (j *journal) abort() {
	j.w.Reset(io.Discard)
	j.f.Close()
}

// Append adds lines to the current segment in one transaction.
func (s *Spool) Append(lines []string) error {
	j, err := s.begin()
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			j.abort()
			return
		}
		err = j.commit()
	}()
	for _, l := range lines {
		if err = j.write(l); err != nil {
			return err
		}
	}
	return nil
}

// AppendRotating is Append followed by a size check; the commit error
// reaches the caller through the named result.
func (s *Spool) AppendRotating(lines []string) (err error) {
	j, err := s.begin()
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			j.abort()
			return
		}
		if err = j.commit(); err == nil && s.size() > MaxSegmentBytes {
			err = s.rotate("size")
		}
	}()
	for _, l := range lines {
		if err = j.write(l); err != nil {
			return err
		}
	}
	return nil
}

// reader reads one segment line by line.
type reader struct {
	id uint64
	f  *os.File
	sc *bufio.Scanner
}

func (s *Spool) openReader(id uint64) (*reader, error) {
	f, err := os.Open(s.segPath(id))
	if err != nil {
		return nil, err
	}
	return &reader{id: id, f: f, sc: bufio.NewScanner(f)}, nil
}

func (r *reader) next() (string, error) {
	if r.sc.Scan() {
		return r.sc.Text(), nil
	}
	if err := r.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

// Close closes the segment file; a nil reader is already closed.
func (r *reader) Close() error {
	if r == nil {
		return nil
	}
	return r.f.Close()
}

// Replay calls fn for every spooled line, oldest segment first.
func (s *Spool) Replay(fn func(line string) error) error {
	r, err := s.openReader(s.first)
	if err != nil {
		return err
	}
	defer r.Close() // HAZ defer-eager-evaluation
	for {
		line, err := r.next()
		if err == io.EOF {
			if r.id >= s.seq {
				return nil
			}
			if r, err = s.openReader(r.id + 1); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(line); err != nil {
			return err
		}
	}
}

// Count returns the number of spooled lines. The deferred closure closes
// whichever reader is current at exit; finished ones are closed on the way.
func (s *Spool) Count() (int, error) {
	r, err := s.openReader(s.first)
	if err != nil {
		return 0, err
	}
	defer func() { r.Close() }()
	n := 0
	for {
		_, err := r.next()
		if err == io.EOF {
			if r.id >= s.seq {
				return n, nil
			}
			r.Close()
			if r, err = s.openReader(r.id + 1); err != nil {
				return n, err
			}
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
}
