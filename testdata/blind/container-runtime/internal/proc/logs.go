package proc

import (
	"bufio"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// CopyToLog appends everything read from r to the log file at path.
func CopyToLog(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(f, r)
	return err
}

// CopyToLogChecked is CopyToLog for the json-file log driver, which must
// report a failed close (quota exhaustion on the log volume surfaces there).
func CopyToLogChecked(path string, r io.Reader) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if _, err := io.Copy(bw, r); err != nil {
		return err
	}
	return bw.Flush()
}

// ForwardLogs copies each named output stream of a container into
// dir/<name>.log. The returned WaitGroup is done when all streams hit EOF.
func ForwardLogs(dir string, streams map[string]io.Reader, l *log.Logger) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	for name, r := range streams {
		wg.Add(1)
		go func() {
			f, err := os.OpenFile(filepath.Join(dir, name+".log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
			if err != nil {
				l.Printf("log %s: %v", name, err)
				return
			}
			if _, err := io.Copy(f, r); err != nil {
				l.Printf("log %s: copy: %v", name, err)
			}
			if err := f.Close(); err != nil {
				l.Printf("log %s: close: %v", name, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	return wg
}

// DrainAll reads every stream to EOF into w, one goroutine per stream, and
// returns once all of them are drained. Writes to w are serialised.
func DrainAll(w io.Writer, streams ...io.Reader) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs = make([]error, len(streams))
	)
	for i, r := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				mu.Lock()
				_, err := w.Write(append(sc.Bytes(), '\n'))
				mu.Unlock()
				if err != nil {
					errs[i] = err
					return
				}
			}
			errs[i] = sc.Err()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ShipLogs forwards the container log at path to sink for the lifetime of
// the shim, reopening the file whenever the log rotator moved it away.
func ShipLogs(path string, sink io.Writer, l *log.Logger) {
	for {
		f, err := os.Open(path)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		for !rotated(f, path) {
			if _, err := io.Copy(sink, f); err != nil {
				l.Printf("ship %s: %v", path, err)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
}

// rotated reports whether path no longer names the file f has open.
func rotated(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return true
	}
	b, err := os.Stat(path)
	if err != nil {
		return true
	}
	return !os.SameFile(a, b)
}

// TailLines returns the last n lines of the log file at path.
func TailLines(path string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ring := make([]string, 0, n)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if len(ring) == n {
			ring = ring[1:]
		}
		ring = append(ring, sc.Text())
	}
	return ring, sc.Err()
}
