package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up20/internal/segment"
)

// Bundler collects records of one stream and seals them into an archive.
type Bundler struct {
	dir    string
	name   string
	stream string
	recs   []segment.Record
	count  int
	logger *log.Logger
}

// NewBundler returns a Bundler that writes <dir>/<name>.tpa.gz.
func NewBundler(dir, name, stream string, logger *log.Logger) *Bundler {
	return &Bundler{dir: dir, name: name, stream: stream, logger: logger}
}

func (b *Bundler) logf(format string, args ...any) {
	if b.logger != nil {
		b.logger.Printf(format, args...)
	}
}

// Add appends one record to the bundle.
func (b *Bundler) Add(r segment.Record) {
	b.recs = append(b.recs, r)
	b.count++
}

// Len reports how many records the bundle holds.
func (b *Bundler) Len() int { return b.count }

func (b *Bundler) header() Header {
	return HeaderFor(b.stream, b.recs)
}

// Drain adds records from in until it is closed or ctx is done.
func (b *Bundler) Drain(ctx context.Context, in <-chan segment.Record) error {
	defer b.logf("bundle %s: drained %d records", b.name, b.count) // HAZ defer-eager-evaluation
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r, ok := <-in:
			if !ok {
				return nil
			}
			b.recs = append(b.recs, r)
			b.count++
		}
	}
}

// DrainFor is Drain with a deadline; the summary line is logged at exit.
func (b *Bundler) DrainFor(d time.Duration, in <-chan segment.Record) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	before := b.count
	defer func() { b.logf("bundle %s: drained %d records", b.name, b.count-before) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case r, ok := <-in:
			if !ok {
				return nil
			}
			b.Add(r)
		}
	}
}

// Seal writes the bundle to disk and returns the archive path.
func (b *Bundler) Seal() (string, error) {
	path := filepath.Join(b.dir, b.name+".tpa.gz")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	bw := bufio.NewWriter(zw)
	if err := writeBody(bw, b.header(), b.recs); err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	b.logf("bundle %s: sealed %s (%d records)", b.name, path, len(b.recs))
	return path, nil
}

// SealTo writes the bundle as an archive stream to w.
func (b *Bundler) SealTo(w io.Writer) error {
	defer b.logf("bundle %s: streamed", b.name)
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriter(zw)
	if err := writeBody(bw, b.header(), b.recs); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Export writes the bundle as a one-entry tar.gz, for hand-off to systems
// that do not speak the archive format. Wrappers close before what they wrap.
func (b *Bundler) Export(path string) (err error) {
	var body bytes.Buffer
	if err := writeBody(&body, b.header(), b.recs); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	hdr := &tar.Header{
		Name:    b.name + ".txt",
		Mode:    0o644,
		Size:    int64(body.Len()),
		ModTime: time.Now(),
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, &body)
	return err
}
