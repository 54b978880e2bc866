package rotate

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/filepipeline/internal/fsutil"
)

// CompressSegment gzips a rotated segment into seg+".gz" and removes seg.
func CompressSegment(seg string) (err error) {
	in, err := os.Open(seg)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(seg+".gz", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(seg)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err = io.Copy(zw, in); err != nil {
		return err
	}
	return os.Remove(seg)
}

// compressTo gzips the segment into a new file and leaves the original
// alone; the caller decides when to remove it.
func compressTo(seg, dst string) (err error) {
	in, err := os.Open(seg)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(seg)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, in)
	return err
}

// CompressOld compresses every uncompressed segment and removes the
// originals whose compression succeeded.
func (r *Rotator) CompressOld() (int, error) {
	segs, err := r.Segments()
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, seg := range segs {
		if strings.HasSuffix(seg, ".gz") {
			continue
		}
		if err := compressTo(seg, seg+".gz"); err != nil {
			errs = append(errs, errors.Join(err, os.Remove(seg+".gz")))
			continue
		}
		errs = append(errs, os.Remove(seg))
		n++
	}
	return n, errors.Join(errs...)
}

// OpenSegment opens a segment for reading, decompressing it if needed.
func OpenSegment(seg string) (io.ReadCloser, error) {
	f, err := os.Open(seg)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(seg, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, closerFunc(func() error { return errors.Join(zr.Close(), f.Close()) })}, nil
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }

// lastLines returns at most the last n lines of r.
func lastLines(r io.Reader, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	ring := make([]string, 0, n)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if len(ring) == n {
			copy(ring, ring[1:])
			ring = ring[:n-1]
		}
		ring = append(ring, sc.Text())
	}
	return ring, sc.Err()
}

// Tail returns the last n lines written, reaching back into the newest
// segment when the current file is shorter than that.
func (r *Rotator) Tail(n int) ([]string, error) {
	segs, err := r.Segments()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(r.currentPath())
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	lines, err := lastLines(f, n)
	if err != nil {
		return nil, err
	}
	if len(lines) < n && len(segs) > 0 {
		f, err = os.Open(segs[len(segs)-1])
		if err != nil {
			return lines, nil
		}
		more, err := lastLines(f, n-len(lines))
		if err != nil {
			return nil, err
		}
		lines = append(more, lines...)
	}
	return lines, nil
}

// Cat copies every segment, oldest first, and then the current file to w.
func (r *Rotator) Cat(w io.Writer) (int64, error) {
	var total int64
	for path := range r.All() {
		n, err := func() (int64, error) {
			rc, err := OpenSegment(path)
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

// CompressLoop runs forever, compressing new segments every interval under
// a lock file so that only one process does it. Start it on its own
// goroutine.
func (r *Rotator) CompressLoop(interval time.Duration) {
	for {
		time.Sleep(interval)
		lk, err := fsutil.AcquireLock(filepath.Join(r.dir, ".compress.lock"))
		if err != nil {
			continue
		}
		defer lk.Release() // HAZ defer-in-infinite-loop
		if n, err := r.CompressOld(); err != nil {
			log.Printf("rotate: compressed %d segments: %v", n, err)
		}
	}
}

// compressOnce is one round of CompressLoopCtx.
func (r *Rotator) compressOnce() error {
	lk, err := fsutil.AcquireLock(filepath.Join(r.dir, ".compress.lock"))
	if err != nil {
		return err
	}
	defer lk.Release()
	_, err = r.CompressOld()
	return err
}

// CompressLoopCtx compresses new segments every interval until ctx is done.
func (r *Rotator) CompressLoopCtx(ctx context.Context, interval time.Duration) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		if err := r.compressOnce(); err != nil && !errors.Is(err, fsutil.ErrLocked) {
			log.Printf("rotate: %v", err)
		}
	}
}

// readFrom calls fn for each complete line of the current file after
// offset and returns the offset after the last complete line.
func (r *Rotator) readFrom(offset int64, fn func(string)) (int64, error) {
	f, err := os.Open(r.currentPath())
	if err != nil {
		return offset, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return offset, err
	}
	if info.Size() < offset {
		offset = 0 // rotated underneath us
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return offset, err
	}
	br := bufio.NewReader(f)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return offset, nil
		}
		offset += int64(len(line))
		fn(strings.TrimSuffix(line, "\n"))
	}
}

// Follow polls the current file and calls fn for every new line until ctx
// is done.
func (r *Rotator) Follow(ctx context.Context, poll time.Duration, fn func(string)) error {
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var offset int64
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			next, err := r.readFrom(offset, fn)
			if err != nil {
				return err
			}
			offset = next
		}
	}
	return ctx.Err()
}
