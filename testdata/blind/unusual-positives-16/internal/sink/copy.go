package sink

import (
	"bufio"
	"errors"
	"io"
)

// WriteAll stores data under name.
func WriteAll(s Sink, name string, data []byte) error {
	w, err := s.Create(name)
	if err != nil {
		return err
	}
	defer w.Close() // HAZ defer-close-unchecked-write
	_, err = w.Write(data)
	return err
}

// CopyFrom streams r into name and reports the error of the final Close.
func CopyFrom(s Sink, name string, r io.Reader) (n int64, err error) {
	w, err := s.Create(name)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, w.Close()) }()
	return io.Copy(w, r)
}

// WriteLines writes one line per element of lines.
func WriteLines(s Sink, name string, lines []string) error {
	w, err := s.Create(name)
	if err != nil {
		return err
	}
	defer w.Close()
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return w.Close()
}

// ReadAll returns the content of the stream name.
func ReadAll(src Source, name string) ([]byte, error) {
	rc, err := src.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// Drain copies r to out, flushing out at the end when it is buffered.
func Drain(out io.Writer, r io.Reader) (int64, error) {
	switch bw := out.(type) {
	case *bufio.Writer:
		defer bw.Flush() // HAZ defer-close-unchecked-write
	}
	return io.Copy(out, r)
}

// DrainChecked is Drain for callers that need to know the flush succeeded.
func DrainChecked(out io.Writer, r io.Reader) (n int64, err error) {
	switch bw := out.(type) {
	case *bufio.Writer:
		defer func() {
			if ferr := bw.Flush(); err == nil {
				err = ferr
			}
		}()
	}
	return io.Copy(out, r)
}

// Concat writes the streams names, in order, to w.
func Concat(src Source, w io.Writer, names ...string) (int64, error) {
	var total int64
	for _, name := range names {
		n, err := func() (int64, error) {
			rc, err := src.Open(name)
			if err != nil {
				return 0, err
			}
			defer rc.Close()
			return io.Copy(w, rc)
		}()
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
