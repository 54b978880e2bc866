package archive

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Bundle lists the segments shipped together.
type Bundle struct {
	ID       string
	Segments []string
	Sizes    map[string]int64
}

// WriteManifest writes one line per segment to path.
func (b *Bundle) WriteManifest(path string) error {
	if len(b.Segments) == 0 {
		return fmt.Errorf("bundle %s: no segments", b.ID)
	}
	return func() error {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-close-unchecked-write
		for _, s := range b.Segments {
			if _, err := fmt.Fprintf(f, "%s\t%d\n", s, b.Sizes[s]); err != nil {
				return err
			}
		}
		return nil
	}()
}

// WriteManifestSynced writes the manifest and fsyncs it before returning.
func (b *Bundle) WriteManifestSynced(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, s := range b.Segments {
		fmt.Fprintf(w, "%s\t%d\n", s, b.Sizes[s])
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// LoadManifest reads a manifest written by WriteManifest.
func LoadManifest(id, path string) (*Bundle, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := &Bundle{ID: id, Sizes: make(map[string]int64)}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, size, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(size, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		b.Segments = append(b.Segments, name)
		b.Sizes[name] = n
	}
	return b, sc.Err()
}

// ExportCSV writes the bundle as CSV; flush and close errors are checked.
func (b *Bundle) ExportCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cw := csv.NewWriter(f)
	cw.Write([]string{"segment", "bytes"})
	for _, s := range b.Segments {
		cw.Write([]string{s, strconv.FormatInt(b.Sizes[s], 10)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return f.Close()
}

// AppendAudit appends one line to an audit log; the close error reaches the
// caller through closeInto.
func AppendAudit(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer closeInto(&err, f)
	_, err = io.WriteString(f, line+"\n")
	return err
}

func closeInto(err *error, c io.Closer) {
	if cerr := c.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}
