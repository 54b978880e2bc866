package writes

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

type lineWriter struct {
	bw *bufio.Writer
	n  int
}

func newLineWriter(w io.Writer) *lineWriter {
	return &lineWriter{bw: bufio.NewWriter(w)}
}

func (lw *lineWriter) add(s string) error {
	_, err := fmt.Fprintln(lw.bw, s)
	lw.n++
	return err
}

func (lw *lineWriter) count() int { return lw.n }

// The writes go through lw.add, which writes to lw.bw; the deferred Flush drops its error.
func writeIndexLines(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	lw := newLineWriter(f)
	defer lw.bw.Flush() // want `deferred lw\.bw\.Flush\(\) discards the error of the buffered writer`
	for _, l := range lines {
		if err := lw.add(l); err != nil {
			return err
		}
	}
	return nil
}

// Only a method that does not touch the buffer is called: nothing is written. No finding.
func countIndexLines(path string) (n int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	lw := newLineWriter(f)
	defer lw.bw.Flush()
	return lw.count(), nil
}
