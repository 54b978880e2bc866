package replay

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"example.com/realtimegame/internal/protocol"
)

// Reader reads a replay file sequentially.
type Reader struct {
	f  *os.File
	zr *gzip.Reader
	br *bufio.Reader
	h  Header
}

// Open opens a replay file and reads its header.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("replay %s: %w", path, err)
	}
	br := bufio.NewReader(zr)
	h, err := readHeader(br)
	if err != nil {
		_ = zr.Close()
		_ = f.Close()
		return nil, fmt.Errorf("replay %s: %w", path, err)
	}
	return &Reader{f: f, zr: zr, br: br, h: h}, nil
}

func readHeader(r io.Reader) (Header, error) {
	var h Header
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return h, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > maxHeader {
		return h, fmt.Errorf("header of %d bytes exceeds %d", size, maxHeader)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, err
	}
	if h.Version > FormatVersion {
		return h, fmt.Errorf("format version %d is newer than %d", h.Version, FormatVersion)
	}
	return h, nil
}

// Header returns the recording's header.
func (r *Reader) Header() Header { return r.h }

// Next returns the next record, or io.EOF at the end.
func (r *Reader) Next() (Record, error) {
	var t [8]byte
	if _, err := io.ReadFull(r.br, t[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, fmt.Errorf("replay: truncated record: %w", err)
		}
		return Record{}, err
	}
	f, err := protocol.ReadFrame(r.br)
	if err != nil {
		return Record{}, fmt.Errorf("replay: tick %d: %w", binary.BigEndian.Uint64(t[:]), err)
	}
	return Record{Tick: binary.BigEndian.Uint64(t[:]), Frame: f}, nil
}

// Close releases the file.
func (r *Reader) Close() error {
	return errors.Join(r.zr.Close(), r.f.Close())
}

// ReadAll loads a whole replay into memory.
func ReadAll(path string) (Header, []Record, error) {
	rd, err := Open(path)
	if err != nil {
		return Header{}, nil, err
	}
	defer rd.Close()
	var recs []Record
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rd.Header(), recs, nil
		}
		if err != nil {
			return rd.Header(), recs, err
		}
		recs = append(recs, rec)
	}
}

func copyRecords(out *Recorder, rd *Reader) (int, error) {
	n := 0
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if err := out.Record(rec.Tick, rec.Frame); err != nil {
			return n, err
		}
		n++
	}
}

// CountFrames counts the records of several replays, one file open at a time.
func CountFrames(paths []string) (int, error) {
	total := 0
	for _, path := range paths {
		n, err := func() (int, error) {
			rd, err := Open(path)
			if err != nil {
				return 0, err
			}
			defer rd.Close()
			n := 0
			for {
				if _, err := rd.Next(); err != nil {
					if errors.Is(err, io.EOF) {
						return n, nil
					}
					return n, err
				}
				n++
			}
		}()
		if err != nil {
			return total, fmt.Errorf("%s: %w", path, err)
		}
		total += n
	}
	return total, nil
}

// MergeInto appends every record of each replay in paths to out, in order.
func MergeInto(out *Recorder, paths []string) (int, error) {
	total := 0
	for _, path := range paths {
		rd, err := Open(path)
		if err != nil {
			return total, err
		}
		defer func() { // HAZ defer-in-loop loop-var-capture
			if err := rd.Close(); err != nil {
				log.Printf("replay: close %s: %v", path, err)
			}
		}()
		n, err := copyRecords(out, rd)
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: %w", path, err)
		}
	}
	return total, nil
}

// Concat writes the records of a followed by those of b to out, e.g. to join
// the two halves of a match that was migrated between servers.
func Concat(out *Recorder, a, b string) (int, error) {
	rd, err := Open(a)
	if err != nil {
		return 0, err
	}
	defer rd.Close() // HAZ defer-eager-evaluation
	n, err := copyRecords(out, rd)
	if err != nil {
		return n, err
	}
	rd, err = Open(b)
	if err != nil {
		return n, err
	}
	m, err := copyRecords(out, rd)
	return n + m, err
}

// Stream reads a replay on a goroutine and delivers its records until the end
// of the file or until ctx is cancelled. The producer owns and closes out.
func Stream(ctx context.Context, path string) (<-chan Record, <-chan error) {
	out := make(chan Record)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		rd, err := Open(path)
		if err != nil {
			errc <- err
			return
		}
		defer rd.Close()
		for {
			rec, err := rd.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					errc <- err
				}
				return
			}
			select {
			case out <- rec:
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
		}
	}()
	return out, errc
}

// Peek reads only the header of a replay file.
func Peek(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return Header{}, fmt.Errorf("%s: not a replay: %w", path, err)
	}
	return readHeader(zr)
}
