package segment

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/trace"
)

// Reader is an opened segment. Segments are small enough (the merge policy
// caps them) that the whole dictionary is decoded into memory on open.
type Reader struct {
	meta    Meta
	hdr     Header
	terms   map[string]index.PostingList
	docLens map[index.DocID]int
	avgLen  float64
}

// Open reads the segment described by meta.
func Open(meta Meta) (*Reader, error) {
	f, err := os.Open(meta.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	hdr, err := readHeader(br)
	if err != nil {
		return nil, fmt.Errorf("segment %s: %w", meta.Path, err)
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("segment %s: %w", meta.Path, err)
	}
	defer zr.Close()
	r := &Reader{meta: meta, hdr: hdr}
	if err := r.decode(bufio.NewReader(zr)); err != nil {
		return nil, fmt.Errorf("segment %s: %w", meta.Path, err)
	}
	return r, nil
}

func (r *Reader) decode(br *bufio.Reader) error {
	r.terms = make(map[string]index.PostingList, r.hdr.TermCount)
	for i := uint32(0); i < r.hdr.TermCount; i++ {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		if n > 1024 {
			return index.ErrCorrupt
		}
		term := make([]byte, n)
		if _, err := io.ReadFull(br, term); err != nil {
			return err
		}
		pl, err := index.DecodePostingList(br)
		if err != nil {
			return err
		}
		r.terms[string(term)] = pl
	}
	r.docLens = make(map[index.DocID]int, r.hdr.DocCount)
	total := 0
	for i := uint32(0); i < r.hdr.DocCount; i++ {
		id, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		l, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		r.docLens[index.DocID(id)] = int(l)
		total += int(l)
	}
	if r.hdr.DocCount > 0 {
		r.avgLen = float64(total) / float64(r.hdr.DocCount)
	}
	return nil
}

// Meta returns the manifest entry of r.
func (r *Reader) Meta() Meta { return r.meta }

// Postings returns the posting list of term.
func (r *Reader) Postings(term string) index.PostingList { return r.terms[term] }

// DocCount returns the number of documents in the segment.
func (r *Reader) DocCount() int { return len(r.docLens) }

// DocLen returns the analyzed length of id, 0 if absent.
func (r *Reader) DocLen(id index.DocID) int { return r.docLens[id] }

// AvgDocLen returns the mean document length of the segment.
func (r *Reader) AvgDocLen() float64 { return r.avgLen }

// Terms returns the dictionary of the segment in order.
func (r *Reader) Terms() []string {
	out := make([]string, 0, len(r.terms))
	for t := range r.terms {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Frozen exposes the segment contents for merging.
func (r *Reader) Frozen() *index.Frozen {
	return &index.Frozen{Terms: r.terms, DocLens: r.docLens}
}

// LoadAll opens every segment of metas.
func LoadAll(metas []Meta) ([]*Reader, error) {
	out := make([]*Reader, 0, len(metas))
	for _, m := range metas {
		r, err := Open(m)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ScanDir lists the segment files of dir, oldest first.
func ScanDir(dir string) ([]Meta, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var metas []Meta
	for _, e := range entries {
		id, ok := ParseID(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		metas = append(metas, Meta{ID: id, Path: filepath.Join(dir, e.Name()), Bytes: info.Size()})
	}
	sort.Slice(metas, func(i, j int) bool { return metas[i].ID < metas[j].ID })
	return metas, nil
}

// ReadManifest loads the segment list written by PublishManifest. A missing
// manifest means an empty index.
func ReadManifest(dir string) ([]Meta, error) {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.json"))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var m manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("segment: manifest: %w", err)
	}
	return m.Segments, nil
}

// VerifyAll checks every segment against its checksum sidecar.
func VerifyAll(metas []Meta) error {
	for _, m := range metas {
		f, err := os.Open(m.Path)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		h := crc32.New(castagnoli)
		if _, err := io.Copy(h, f); err != nil {
			return fmt.Errorf("segment %d: %w", m.ID, err)
		}
		want, err := readChecksum(m.Path + ".crc")
		if err != nil {
			return err
		}
		if h.Sum32() != want {
			return fmt.Errorf("segment %d: checksum mismatch", m.ID)
		}
	}
	return nil
}

// Verify checks one segment against its checksum sidecar.
func Verify(m Meta) error {
	defer trace.Region("segment.verify") // HAZ defer-func-result-not-called
	got, err := fileCRC(m.Path)
	if err != nil {
		return err
	}
	want, err := readChecksum(m.Path + ".crc")
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("segment %d: checksum mismatch", m.ID)
	}
	return nil
}

func readChecksum(path string) (uint32, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var sum uint32
	if _, err := fmt.Sscanf(string(data), "crc32c %08x", &sum); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return sum, nil
}

// CheckHeaders opens each segment and validates its header; each file is
// closed before the next one is opened.
func CheckHeaders(metas []Meta) error {
	for _, m := range metas {
		err := func() error {
			f, err := os.Open(m.Path)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = readHeader(bufio.NewReader(f))
			return err
		}()
		if err != nil {
			return fmt.Errorf("segment %d: %w", m.ID, err)
		}
	}
	return nil
}

// ReadStatsSidecar decodes the counters written next to a segment.
func ReadStatsSidecar(path string) (index.Stats, error) {
	f, err := os.Open(path + ".stats.gz")
	if err != nil {
		return index.Stats{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return index.Stats{}, err
	}
	var st index.Stats
	err = json.NewDecoder(zr).Decode(&st)
	return st, err
}
