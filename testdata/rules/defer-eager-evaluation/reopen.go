package eager

import (
	"bufio"
	"io"
	"os"
)

type segReader struct {
	f  *os.File
	br *bufio.Reader
	id int
}

func (r *segReader) Close() error { return r.f.Close() }

func (r *segReader) buffered() *segReader {
	return &segReader{f: r.f, br: bufio.NewReader(r.f), id: r.id}
}

func openSegment(id int) (*segReader, error) {
	f, err := os.Open("segment")
	if err != nil {
		return nil, err
	}
	return &segReader{f: f, id: id}, nil
}

// The next segment is opened from the current one's id: a new file, which the deferred Close of
// the first segment never closes.
func replaySegments(last int) error {
	r, err := openSegment(0)
	if err != nil {
		return err
	}
	defer r.Close() // want `defer r\.Close\(\) uses the value r has at the defer statement on line \d+; r is reassigned on line \d+`
	for {
		if _, err := r.f.Read(make([]byte, 1)); err != io.EOF {
			return err
		}
		if r.id >= last {
			return nil
		}
		if r, err = openSegment(r.id + 1); err != nil {
			return err
		}
	}
}

// A buffered view of the same file: closing the first value closes the file the new one reads.
func replayBuffered() error {
	r, err := openSegment(0)
	if err != nil {
		return err
	}
	defer r.Close()
	r = r.buffered()
	_, err = r.br.ReadString('\n')
	return err
}

type handle struct{ id string }

func (h *handle) ID() string    { return h.id }
func (h *handle) Delete() error { return nil }

func createHandle(id string) (*handle, error) { return &handle{id: id}, nil }
func loadHandle(id string) (*handle, error)   { return &handle{id: id}, nil }

// The handle is loaded again by its own ID: the same entity, which the deferred Delete removes.
func reloadHandle() error {
	h, err := createHandle("c1")
	if err != nil {
		return err
	}
	defer h.Delete()
	h, err = loadHandle(h.ID())
	if err != nil {
		return err
	}
	_ = h
	return nil
}

func closeAllSegments(rs []*segReader) {
	for _, r := range rs {
		r.Close()
	}
}

func dropSegment(rs []*segReader, bad *segReader) []*segReader {
	out := rs[:0:0]
	for _, r := range rs {
		if r != bad {
			out = append(out, r)
		}
	}
	return out
}

func cloneSegments(rs []*segReader) []*segReader { return append([]*segReader(nil), rs...) }

// A subset of the same readers: the deferred close of the whole first set still closes them.
func useSegments(bad *segReader) error {
	rs := []*segReader{}
	for i := 0; i < 3; i++ {
		r, err := openSegment(i)
		if err != nil {
			return err
		}
		rs = append(rs, r)
	}
	defer closeAllSegments(rs)
	rs = dropSegment(cloneSegments(rs), bad)
	_ = rs
	return nil
}
