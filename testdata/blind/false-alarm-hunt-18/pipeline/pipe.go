// Package pipeline turns producers into io.Readers by running them in a
// goroutine on the write side of an io.Pipe, in the manner of
// mime/multipart and os/exec.
package pipeline

import (
	"bufio"
	"compress/gzip"
	"context"
	"io"

	"example.com/fah18/recordio"
)

// EncodeRecords returns a reader that yields the encoded form of recs.
// Closing the reader early stops the encoder.
func EncodeRecords(recs []recordio.Record) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriter(pw)
		for _, r := range recs {
			if err := recordio.Encode(bw, r); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(bw.Flush())
	}()
	return pr
}

// Gzip returns a reader that yields the gzip compression of r.
func Gzip(r io.Reader) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		zw := gzip.NewWriter(pw)
		_, err := io.Copy(zw, r)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// Transform returns a reader that yields fn applied to each line of r.
// An error from fn or from reading r is returned by the reader.
func Transform(r io.Reader, fn func(line string) (string, error)) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		var err error
		defer pw.CloseWithError(err) // HAZ defer-eager-evaluation
		sc := bufio.NewScanner(r)
		bw := bufio.NewWriter(pw)
		for sc.Scan() {
			var line string
			if line, err = fn(sc.Text()); err != nil {
				return
			}
			if _, err = bw.WriteString(line + "\n"); err != nil {
				return
			}
		}
		if err = sc.Err(); err != nil {
			return
		}
		err = bw.Flush()
	}()
	return pr
}

// Filter returns a reader that yields the lines of r for which keep
// returns true.
func Filter(r io.Reader, keep func(line string) bool) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		var err error
		defer func() { pw.CloseWithError(err) }()
		sc := bufio.NewScanner(r)
		bw := bufio.NewWriter(pw)
		for sc.Scan() {
			if !keep(sc.Text()) {
				continue
			}
			if _, err = bw.WriteString(sc.Text() + "\n"); err != nil {
				return
			}
		}
		if err = sc.Err(); err != nil {
			return
		}
		err = bw.Flush()
	}()
	return pr
}

// Lines sends each line of r on the returned channel, which is closed at
// the end of input or when ctx is done. The error channel then receives
// exactly one value.
func Lines(ctx context.Context, r io.Reader) (<-chan string, <-chan error) {
	out := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case out <- sc.Text():
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
		}
		errc <- sc.Err()
	}()
	return out, errc
}
