package pipeline

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
)

// WriteLines writes every value of in as a line to a gzip-compressed file.
func WriteLines[T any](ctx context.Context, path string, in <-chan T) (n int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error reaches the named result
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	for {
		select {
		case v, ok := <-in:
			if !ok {
				if err := bw.Flush(); err != nil {
					return n, err
				}
				return n, zw.Close()
			}
			if _, err := fmt.Fprintln(bw, v); err != nil {
				return n, err
			}
			n++
		case <-ctx.Done():
			return n, ctx.Err()
		}
	}
}

// ReadLines streams the lines of a plain-text file.
func ReadLines(ctx context.Context, path string) (<-chan string, <-chan error) {
	out := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		defer close(errc)
		f, err := os.Open(path)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close() // ok: read-only
		sc := bufio.NewScanner(f)
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
