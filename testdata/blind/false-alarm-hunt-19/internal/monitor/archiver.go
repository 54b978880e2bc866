package monitor

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
)

// Archiver copies sealed WAL segments, compressed, into an archive
// directory (a mounted bucket).
type Archiver struct {
	archiveDir string
	segments   <-chan string
}

// NewArchiver archives the segment paths received on segments.
func NewArchiver(archiveDir string, segments <-chan string) *Archiver {
	return &Archiver{archiveDir: archiveDir, segments: segments}
}

// Run archives every segment it is told about, for the life of the
// process.
func (a *Archiver) Run() {
	for path := range a.segments {
		f, err := os.Open(path)
		if err != nil {
			log.Printf("archiver: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := a.upload(filepath.Base(path), f); err != nil {
			log.Printf("archiver: %s: %v", path, err)
			continue
		}
		log.Printf("archiver: archived %s", path)
	}
}

// Drain archives segments until the channel is closed or ctx is done. The
// per-segment work, and its file, live in archiveOne.
func (a *Archiver) Drain(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case path, ok := <-a.segments:
			if !ok {
				return nil
			}
			if err := a.archiveOne(path); err != nil {
				log.Printf("archiver: %s: %v", path, err)
			}
		}
	}
}

func (a *Archiver) archiveOne(path string) error {
	defer func() { logPanic("archive "+path, recover()) }()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return a.upload(filepath.Base(path), f)
}

// upload writes r, gzip-compressed, to the archive as name.gz. The gzip
// writer is closed explicitly before the file; the file's close error is
// joined into the result.
func (a *Archiver) upload(name string, r io.Reader) (err error) {
	dst, err := os.Create(filepath.Join(a.archiveDir, name+".gz"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, dst.Close()) }()
	zw := gzip.NewWriter(dst)
	if _, err := io.Copy(zw, r); err != nil {
		return err
	}
	return zw.Close()
}

// logPanic logs p if it is a recovered panic value.
func logPanic(what string, p any) {
	if p != nil {
		log.Printf("%s: panic: %v\n%s", what, p, debug.Stack())
	}
}

// ImportRemote archives a segment received from another node. Remote
// segment names are not trusted, so a panic is logged instead of killing
// the archiver.
func (a *Archiver) ImportRemote(name string, r io.Reader) error {
	defer logPanic("archive remote "+name, recover()) // HAZ recover-ineffective
	return a.upload(filepath.Base(name), r)
}

// CompressExternal compresses src into dst with the zstd binary, which is
// much faster than compress/gzip on large segments.
func CompressExternal(src, dst string) error {
	cmd := exec.Command("zstd", "-q", "-f", "-o", dst)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(stdin, f); err != nil {
		return err
	}
	return stdin.Close()
}
