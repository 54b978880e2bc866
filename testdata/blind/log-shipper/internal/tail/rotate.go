package tail

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
)

// rotated reports whether the file at t.path is no longer the file being
// read (logrotate moved it away) or was truncated in place (copytruncate).
func (t *Tailer) rotated() (replaced, truncated bool, err error) {
	t.mu.Lock()
	info, consumed := t.info, t.read
	t.mu.Unlock()

	cur, err := os.Stat(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, false, nil // between rename and create: try again later
	}
	if err != nil {
		return false, false, err
	}
	if !os.SameFile(cur, info) {
		return true, false, nil
	}
	return false, cur.Size() < consumed, nil
}

// Poll reads new lines, first handling truncation and rotation.
func (t *Tailer) Poll(max int) ([]Line, error) {
	replaced, truncated, err := t.rotated()
	if err != nil {
		return nil, err
	}
	switch {
	case replaced:
		return t.Reopen()
	case truncated:
		if err := t.rewind(); err != nil {
			return nil, err
		}
	}
	return t.ReadLines(max)
}

// Reopen switches to the new file after a rotation. The rest of the old
// file is drained first so no line written just before the rename is lost.
func (t *Tailer) Reopen() ([]Line, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rest, err := t.drainLocked()
	if err != nil {
		return nil, err
	}
	nf, err := os.Open(t.path)
	if err != nil {
		return rest, err
	}
	info, err := nf.Stat()
	if err != nil {
		nf.Close()
		return rest, err
	}
	old := t.f
	t.f, t.r, t.info, t.read, t.partial = nf, bufio.NewReaderSize(nf, readBuf), info, 0, ""
	return rest, old.Close()
}

// drainLocked reads every remaining line of the current file; t.mu is held.
func (t *Tailer) drainLocked() ([]Line, error) {
	var out []Line
	for {
		s, err := t.r.ReadString('\n')
		t.read += int64(len(s))
		if err != nil && !errors.Is(err, io.EOF) {
			return out, err
		}
		if text := t.partial + s; text != "" {
			t.partial = ""
			out = append(out, Line{Path: t.path, Text: strings.TrimRight(text, "\r\n"), Offset: t.read})
		}
		if err != nil {
			return out, nil // EOF: the rotated file is complete
		}
	}
}

// rewind restarts reading at the beginning after a copytruncate.
func (t *Tailer) rewind() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, err := t.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	t.r.Reset(t.f)
	t.read, t.partial = 0, ""
	return nil
}

// CatchUp is used at start-up when the agent was down during a rotation:
// it reads what was appended to the rotated file (path + ".1") after the
// checkpointed offset, then the whole current file. It returns the offset
// reached in the current file.
func CatchUp(path string, offset int64, fn func(Line)) (int64, error) {
	f, err := os.Open(path + ".1")
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, err
	}
	if _, err := scanLines(f, path+".1", offset, fn); err != nil {
		return 0, err
	}

	f, err = os.Open(path)
	if err != nil {
		return 0, err
	}
	return scanLines(f, path, 0, fn)
}

// scanLines feeds every line of r to fn, starting at byte offset base.
func scanLines(r io.Reader, path string, base int64, fn func(Line)) (int64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, readBuf), 1<<20)
	off := base
	for sc.Scan() {
		off += int64(len(sc.Bytes())) + 1
		fn(Line{Path: path, Text: sc.Text(), Offset: off})
	}
	return off, sc.Err()
}

// LastLine returns the final complete line of path; the health check uses
// it to show what a file was last doing.
func LastLine(path string) (string, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	start := info.Size() - 4096
	if start < 0 {
		start = 0
	}
	buf := make([]byte, info.Size()-start)
	if _, err := f.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	s := strings.TrimRight(string(buf), "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s, nil
}

// CountLines counts the lines of a (rotated, no longer growing) file.
func CountLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, readBuf), 1<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// WatchSize reports the size of path to fn every interval, for the
// disk-usage gauge. It runs for the life of the process.
func WatchSize(path string, interval time.Duration, fn func(int64)) {
	for {
		f, err := os.Open(path)
		if err == nil {
			defer f.Close() // HAZ defer-in-infinite-loop
			if info, err := f.Stat(); err == nil {
				fn(info.Size())
			}
		}
		time.Sleep(interval)
	}
}

// WatchSizes is WatchSize for several files; it stops when done is closed.
func WatchSizes(paths []string, interval time.Duration, done <-chan struct{}, fn func(string, int64)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, p := range paths {
			func() {
				f, err := os.Open(p)
				if err != nil {
					return
				}
				defer f.Close()
				if info, err := f.Stat(); err == nil {
					deliver(func() { fn(p, info.Size()) })
				}
			}()
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

// deliver calls a user callback; a panicking callback must not stop the
// watcher.
func deliver(fn func()) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	fn()
}

// CountAll counts the lines of several rotated files.
func CountAll(paths []string) (map[string]int, error) {
	counts := make(map[string]int, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return counts, err
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, readBuf), 1<<20)
		n := 0
		for sc.Scan() {
			n++
		}
		if err := sc.Err(); err != nil {
			return counts, err
		}
		counts[p] = n
	}
	return counts, nil
}

// CountEach is CountAll built on CountLines, which closes each file before
// the next one is opened.
func CountEach(paths []string) (map[string]int, error) {
	counts := make(map[string]int, len(paths))
	for _, p := range paths {
		n, err := CountLines(p)
		if err != nil {
			return counts, err
		}
		counts[p] = n
	}
	return counts, nil
}

// ReadFile feeds every line of a file that is no longer written to fn and
// returns the offset reached.
func ReadFile(path string, fn func(Line)) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return scanLines(f, path, 0, fn)
}
