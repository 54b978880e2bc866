package history

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Archive compresses room's rotated segment into the day's archive and
// removes the segment.
func (s *Store) Archive(room, day string) (err error) {
	src := s.Path(room) + ".1"
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Join(s.dir, "archive"), 0o755); err != nil {
		return err
	}
	out, err := os.Create(filepath.Join(s.dir, "archive", sanitize(room)+"-"+day+".log.gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(src)
	zw.ModTime = time.Now()
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer func() {
		err = errors.Join(err, out.Close())
	}()
	if _, err = io.Copy(zw, in); err != nil {
		return err
	}
	return os.Remove(src)
}

// WriteIndex writes the list of rooms and their archive counts to
// index.txt, read by the status page.
func (s *Store) WriteIndex(rooms []string) (err error) {
	f, err := os.Create(filepath.Join(s.dir, "index.txt"))
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { // HAZ defer-order-inverted
		err = errors.Join(err, bw.Flush())
	}()
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	for _, r := range rooms {
		archives, err := filepath.Glob(filepath.Join(s.dir, "archive", sanitize(r)+"-*.log.gz"))
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(bw, "%s\t%d\n", r, len(archives)); err != nil {
			return err
		}
	}
	return nil
}

// ExportGzip streams room's current log to w, gzip-compressed.
func (s *Store) ExportGzip(w io.Writer, room string) error {
	f, err := os.Open(s.Path(room))
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(w)
	if _, err := io.Copy(zw, f); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}

// PruneArchives keeps the newest keep archives of room and deletes the
// rest.
func (s *Store) PruneArchives(room string, keep int) (int, error) {
	files, err := filepath.Glob(filepath.Join(s.dir, "archive", sanitize(room)+"-*.log.gz"))
	if err != nil || len(files) <= keep {
		return 0, err
	}
	sort.Strings(files)
	removed := 0
	for _, f := range files[:len(files)-keep] {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
