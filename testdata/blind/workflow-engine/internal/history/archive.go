package history

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ArchiveSegment gzips a sealed segment into dst for cold storage.
func ArchiveSegment(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(src)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, out.Close()) }()

	if _, err := io.Copy(zw, in); err != nil {
		return fmt.Errorf("history: archive %s: %w", src, err)
	}
	return nil
}

// CompressSegment is the crash-safe variant used by the compactor: the archive
// appears under dst only when it is complete and durable.
func CompressSegment(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	tmp := dst + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()

	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(src)
	if _, err = io.Copy(zw, in); err != nil {
		out.Close()
		return fmt.Errorf("history: compress %s: %w", src, err)
	}
	if err = zw.Close(); err != nil {
		out.Close()
		return err
	}
	if err = out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err = out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// ReadArchived loads the events of a gzipped segment.
func ReadArchived(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", path, err)
	}
	defer zr.Close()
	return decodeEvents(zr, filepath.Base(path))
}

// CountArchived returns the number of events in a gzipped segment without
// decoding them.
func CountArchived(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("history: %s: %w", path, err)
	}
	return countLines(zr)
}

// ExportCSV writes a flat, spreadsheet-friendly view of events to path.
func ExportCSV(path string, events []Event) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()

	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"seq", "workflow", "kind", "time", "payload_bytes"}); err != nil {
		return err
	}
	for _, ev := range events {
		rec := []string{
			strconv.FormatUint(ev.Seq, 10),
			ev.WorkflowID,
			string(ev.Kind),
			ev.Time.UTC().Format(time.RFC3339Nano),
			strconv.Itoa(len(ev.Payload)),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return f.Close()
}
