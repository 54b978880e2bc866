// Package archive writes and reads tidepool archives: gzip-compressed text
// files with a one-line header followed by "<seq>\t<line>" records.
package archive

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"example.com/up20/internal/segment"
)

// Header is the first line of every archive.
type Header struct {
	Stream string
	First  uint64
	Last   uint64
	Count  int
}

// String renders the header line (without newline).
func (h Header) String() string {
	return fmt.Sprintf("#tidepool stream=%s first=%d last=%d count=%d", h.Stream, h.First, h.Last, h.Count)
}

// ParseHeader parses a header line produced by Header.String.
func ParseHeader(line string) (Header, error) {
	rest, ok := strings.CutPrefix(line, "#tidepool ")
	if !ok {
		return Header{}, errors.New("archive: missing header")
	}
	var h Header
	for _, field := range strings.Fields(rest) {
		k, v, ok := strings.Cut(field, "=")
		if !ok {
			return Header{}, fmt.Errorf("archive: bad header field %q", field)
		}
		var err error
		switch k {
		case "stream":
			h.Stream = v
		case "first":
			h.First, err = strconv.ParseUint(v, 10, 64)
		case "last":
			h.Last, err = strconv.ParseUint(v, 10, 64)
		case "count":
			h.Count, err = strconv.Atoi(v)
		}
		if err != nil {
			return Header{}, fmt.Errorf("archive: header field %s: %w", k, err)
		}
	}
	return h, nil
}

// HeaderFor builds the header describing recs.
func HeaderFor(stream string, recs []segment.Record) Header {
	h := Header{Stream: stream, Count: len(recs)}
	if len(recs) > 0 {
		h.First = recs[0].Seq
		h.Last = recs[len(recs)-1].Seq
	}
	return h
}

// writeBody writes the header line and every record to w.
func writeBody(w io.Writer, h Header, recs []segment.Record) error {
	if _, err := fmt.Fprintln(w, h.String()); err != nil {
		return err
	}
	for _, r := range recs {
		if _, err := fmt.Fprintf(w, "%d\t%s\n", r.Seq, r.Line); err != nil {
			return err
		}
	}
	return nil
}

// WriteArchive writes recs to a new archive at path. The file itself is
// closed through the named result; bufio sits on gzip which sits on the file.
func WriteArchive(path string, h Header, recs []segment.Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(zw)
	if err := writeBody(bw, h, recs); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteArchiveSynced is WriteArchive for callers that need the archive on
// stable storage before they delete the source segments.
func WriteArchiveSynced(path string, h Header, recs []segment.Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	if err := writeBody(bw, h, recs); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// ReadArchive reads a whole archive.
func ReadArchive(path string) (Header, []segment.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return Header{}, nil, fmt.Errorf("archive: %s: %w", path, err)
	}
	defer zr.Close()
	sc := bufio.NewScanner(zr)
	if !sc.Scan() {
		return Header{}, nil, fmt.Errorf("archive: %s: empty", path)
	}
	h, err := ParseHeader(sc.Text())
	if err != nil {
		return Header{}, nil, err
	}
	recs := make([]segment.Record, 0, h.Count)
	for sc.Scan() {
		seqText, line, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return Header{}, nil, fmt.Errorf("archive: %s: malformed record", path)
		}
		seq, err := strconv.ParseUint(seqText, 10, 64)
		if err != nil {
			return Header{}, nil, fmt.Errorf("archive: %s: %w", path, err)
		}
		recs = append(recs, segment.Record{Stream: h.Stream, Seq: seq, Line: line})
	}
	return h, recs, sc.Err()
}

// PeekHeader returns the header of an archive without reading the records.
func PeekHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return Header{}, fmt.Errorf("archive: %s is not an archive: %w", path, err)
	}
	line, err := bufio.NewReader(zr).ReadString('\n')
	if err != nil {
		return Header{}, fmt.Errorf("archive: %s: %w", path, err)
	}
	return ParseHeader(strings.TrimSuffix(line, "\n"))
}
