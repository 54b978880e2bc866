package replay

import (
	"archive/zip"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// copyFile copies a file into w; the source is opened read-only.
func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// BundleZip packs replay files into one zip for download.
func BundleZip(out string, paths []string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, p := range paths {
		w, err := zw.Create(filepath.Base(p))
		if err != nil {
			return err
		}
		if err := copyFile(w, p); err != nil {
			return fmt.Errorf("bundle %s: %w", p, err)
		}
	}
	return nil
}

// PeekHeader decodes the header of a replay stream.
func PeekHeader(rd io.Reader) (Header, error) {
	zr, err := gzip.NewReader(rd)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return Header{}, err
	}
	var r Replay
	if err := gob.NewDecoder(zr).Decode(&r); err != nil {
		return Header{}, err
	}
	return r.Header, nil
}

// StreamFrames feeds the frames of r to a consumer.
func StreamFrames(r *Replay) <-chan Frame {
	out := make(chan Frame, 64)
	defer close(out) // HAZ defer-close-chan-with-sender
	go func() {
		for _, f := range r.Frames {
			out <- f
		}
	}()
	return out
}

// Frames is StreamFrames done right: the sending goroutine closes the
// channel itself when it has sent the last frame.
func Frames(r *Replay) <-chan Frame {
	out := make(chan Frame, 64)
	go func() {
		defer close(out)
		for _, f := range r.Frames {
			out <- f
		}
	}()
	return out
}

// recoverInto is deferred directly by worker goroutines.
func recoverInto(errp *error, path string) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%s: panic: %v", path, r)
	}
}

// ForEachParallel loads every file concurrently and calls fn on each
// replay. A panic in fn becomes the error of that file.
func ForEachParallel(paths []string, fn func(path string, r *Replay) error) []error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			defer recoverInto(&errs[i], p)
			r, err := Load(p)
			if err == nil {
				err = fn(p, r)
			}
			errs[i] = err
			wg.Done() // HAZ waitgroup-done-path
		}(i, p)
	}
	wg.Wait()
	return errs
}

// logElapsed logs how long an operation took since start. It is meant to
// be deferred with time.Now() evaluated at the defer: the start time.
func logElapsed(what string, start time.Time) {
	log.Printf("replay: %s took %s", what, time.Since(start).Round(time.Millisecond))
}

// Verify decodes every file and returns the ones that fail, in order.
func Verify(paths []string) []string {
	defer logElapsed(fmt.Sprintf("verify of %d files", len(paths)), time.Now())
	var bad []string
	for _, err := range ForEachParallelSafe(paths, func(string, *Replay) error { return nil }) {
		if err != nil {
			bad = append(bad, err.Error())
		}
	}
	return bad
}

// ForEachParallelSafe is ForEachParallel with Done deferred first, so a
// recovered panic still counts the worker as finished.
func ForEachParallelSafe(paths []string, fn func(path string, r *Replay) error) []error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			defer wg.Done()
			defer recoverInto(&errs[i], p)
			r, err := Load(p)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = fn(p, r)
		}(i, p)
	}
	wg.Wait()
	return errs
}
