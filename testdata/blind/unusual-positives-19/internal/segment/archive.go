package segment

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Archive writes recs as gzip-compressed JSON lines to path.
func Archive(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	zw.Name = filepath.Base(path)
	zw.ModTime = time.Now()
	enc := json.NewEncoder(zw)
	for i := range recs {
		if err := enc.Encode(&recs[i]); err != nil {
			return fmt.Errorf("archive %s: record %d: %w", path, recs[i].Seq, err)
		}
	}
	return nil
}

// ArchiveTo streams recs as gzip-compressed JSON lines to w. The deferred
// Close only matters on the error paths; success reports the real Close.
func ArchiveTo(w io.Writer, recs []Record) error {
	zw := gzip.NewWriter(w)
	defer zw.Close()
	enc := json.NewEncoder(zw)
	for i := range recs {
		if err := enc.Encode(&recs[i]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// WriteIndex writes a "seq offset" line per record of a segment to path,
// sorted by sequence number, behind a one-line header.
func WriteIndex(path string, offsets map[uint64]int64) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted

	seqs := make([]uint64, 0, len(offsets))
	for s := range offsets {
		seqs = append(seqs, s)
	}
	slices.Sort(seqs)
	if _, err := fmt.Fprintf(bw, "# index v1 %d\n", len(seqs)); err != nil {
		f.Close()
		return err
	}
	// From here on the file must be closed on every path.
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, s := range seqs {
		if _, err := fmt.Fprintf(bw, "%d %d\n", s, offsets[s]); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifest writes the list of sealed segment names to path, one a line.
func WriteManifest(path string, names []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	for _, n := range names {
		if _, err := bw.WriteString(n + "\n"); err != nil {
			return err
		}
	}
	return nil
}
