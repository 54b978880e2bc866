package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const segMagic = "SEG1"

var errBadMagic = errors.New("store: bad segment magic")

type header struct {
	Shard  int
	Points int
}

func segmentPath(dir string, id int) string {
	return filepath.Join(dir, fmt.Sprintf("%06d.seg", id))
}

// createFile opens path for writing, truncating it. Callers get only the
// WriteCloser so they cannot seek around the framing.
func createFile(path string) (io.WriteCloser, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// createSegment opens the segment file of shard id for writing.
func createSegment(dir string, id int) (io.WriteCloser, error) {
	return createFile(segmentPath(dir, id))
}

// openSegment opens the segment file of shard id for reading.
func openSegment(dir string, id int) (io.ReadCloser, error) {
	f, err := os.Open(segmentPath(dir, id))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// openBackup opens the compactor's backup copy of a segment.
func openBackup(dir string, id int) (io.ReadCloser, error) {
	f, err := os.Open(segmentPath(dir, id) + ".bak")
	if err != nil {
		return nil, err
	}
	return f, nil
}

// flushShard writes the shard's points to its segment file.
func (st *Store) flushShard(sh *Shard) error {
	w, err := createSegment(st.dir, sh.id)
	if err != nil {
		return err
	}
	defer w.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintf(w, "%s %d %d\n", segMagic, sh.id, sh.Size()/pointSize); err != nil {
		return err
	}
	return sh.encode(w)
}

// writeManifest records the shard count and catalog generation.
func (st *Store) writeManifest() (err error) {
	w, err := createFile(filepath.Join(st.dir, manifestFile))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, w.Close()) }()
	_, err = fmt.Fprintf(w, "shards %d\ngeneration %d\n", len(st.shards), st.cat.Generation())
	return err
}

// SaveIndex writes the catalog as "id<TAB>name" lines.
func (st *Store) SaveIndex() error {
	w, err := createFile(filepath.Join(st.dir, indexFile))
	if err != nil {
		return err
	}
	defer w.Close()
	for id, name := range st.cat.Names() {
		if name == "" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%d\t%s\n", id, name); err != nil {
			return err
		}
	}
	return w.Close()
}

// LoadIndex reads the saved catalog and reports how many series it added.
func (st *Store) LoadIndex() (n int, loadErr error) {
	f, err := os.Open(filepath.Join(st.dir, indexFile))
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close index: %w", cerr)
		}
	}()
	n, err = st.cat.loadFrom(f)
	return n, err
}

// replaySegment loads the segment of shard id back into memory.
func (st *Store) replaySegment(id int) (int, error) {
	rc, err := openSegment(st.dir, id)
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("replay segment %d: %w", id, err)
	}
	return st.decodeInto(bufio.NewReader(rc))
}

// Replay loads every segment that exists on disk.
func (st *Store) Replay() (int, error) {
	total := 0
	for _, sh := range st.shards {
		if _, err := os.Stat(segmentPath(st.dir, sh.id)); errors.Is(err, os.ErrNotExist) {
			continue
		}
		n, err := st.replaySegment(sh.id)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// LoadSegment decodes one segment file into the store.
func (st *Store) LoadSegment(id int) (int, error) {
	rc, err := openSegment(st.dir, id)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return st.decodeInto(bufio.NewReader(rc))
}

// ReadHeader returns the header of segment id, falling back to the backup
// copy when the primary is damaged.
func (st *Store) ReadHeader(id int) (header, error) {
	rc, err := openSegment(st.dir, id)
	if err != nil {
		return header{}, err
	}
	defer rc.Close() // HAZ defer-eager-evaluation
	h, err := decodeHeader(bufio.NewReader(rc))
	if errors.Is(err, errBadMagic) {
		rc, err = openBackup(st.dir, id)
		if err != nil {
			return header{}, err
		}
		h, err = decodeHeader(bufio.NewReader(rc))
	}
	return h, err
}

// ReadHeaderChecked is ReadHeader with each opened file closed by its own
// helper call.
func (st *Store) ReadHeaderChecked(id int) (header, error) {
	h, err := st.headerFrom(openSegment, id)
	if errors.Is(err, errBadMagic) {
		return st.headerFrom(openBackup, id)
	}
	return h, err
}

func (st *Store) headerFrom(open func(string, int) (io.ReadCloser, error), id int) (header, error) {
	rc, err := open(st.dir, id)
	if err != nil {
		return header{}, err
	}
	defer rc.Close()
	return decodeHeader(bufio.NewReader(rc))
}

func decodeHeader(r *bufio.Reader) (header, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return header{}, err
	}
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != segMagic {
		return header{}, errBadMagic
	}
	shard, err := strconv.Atoi(f[1])
	if err != nil {
		return header{}, err
	}
	points, err := strconv.Atoi(f[2])
	if err != nil {
		return header{}, err
	}
	return header{Shard: shard, Points: points}, nil
}

// decodeInto reads a header and "series ts value" lines into the store.
func (st *Store) decodeInto(r *bufio.Reader) (int, error) {
	if _, err := decodeHeader(r); err != nil {
		return 0, err
	}
	n := 0
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			var (
				name string
				p    Point
			)
			if _, serr := fmt.Sscanf(line, "%s %d %g", &name, &p.TS, &p.V); serr != nil {
				return n, fmt.Errorf("decode %q: %w", strings.TrimSpace(line), serr)
			}
			if werr := st.Write(name, p); werr != nil {
				return n, werr
			}
			n++
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
