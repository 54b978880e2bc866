package backup

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/backupd/internal/chunker"
)

// Snapshot records one backup run: which files existed and which chunks hold
// their contents.
type Snapshot struct {
	ID    string     `json:"id"`
	Time  time.Time  `json:"time"`
	Host  string     `json:"host"`
	Roots []string   `json:"roots"`
	Tags  []string   `json:"tags,omitempty"`
	Files []FileNode `json:"files"`
	Stats RunStats   `json:"stats"`
}

// FileNode is one regular file of a snapshot.
type FileNode struct {
	Root    string       `json:"root"`
	Path    string       `json:"path"`
	Mode    fs.FileMode  `json:"mode"`
	Size    int64        `json:"size"`
	ModTime time.Time    `json:"mtime"`
	Chunks  []chunker.ID `json:"chunks"`
}

func newSnapshotID(t time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

func (s *Snapshot) add(n FileNode) { s.Files = append(s.Files, n) }

// Encode returns the gzip-compressed JSON form of the snapshot.
func (s *Snapshot) Encode() ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	defer zw.Close() // HAZ defer-close-unchecked-write
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode parses the output of Encode.
func Decode(data []byte) (*Snapshot, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	var s Snapshot
	if err := json.NewDecoder(zr).Decode(&s); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return &s, nil
}

// Save writes the snapshot to dir/<id>.snap through a temporary file.
func (s *Snapshot) Save(dir string) (err error) {
	data, err := s.Encode()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".snap-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()

	if _, err = tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, s.ID+".snap"))
}

// Load reads one snapshot file.
func Load(path string) (*Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return s, nil
}

// List loads every snapshot in dir, oldest first.
func List(dir string) ([]*Snapshot, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var snaps []*Snapshot
	for _, de := range des {
		if de.IsDir() || !strings.HasSuffix(de.Name(), ".snap") {
			continue
		}
		s, err := Load(filepath.Join(dir, de.Name()))
		if err != nil {
			return nil, err
		}
		snaps = append(snaps, s)
	}
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].Time.Before(snaps[j].Time) })
	return snaps, nil
}

// WriteManifest writes a human-readable listing of the snapshot, one file per
// line, for `restore --list`.
func (s *Snapshot) WriteManifest(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()

	fmt.Fprintf(bw, "# snapshot %s of %s taken %s\n", s.ID, s.Host, s.Time.Format(time.RFC3339))
	for _, n := range s.Files {
		fmt.Fprintf(bw, "%s %12d %s %s\n", n.Mode, n.Size, n.ModTime.Format(time.RFC3339), filepath.Join(n.Root, n.Path))
	}
	return nil
}

// WriteManifestTo writes the same listing to w (stdout for `restore --list -`).
func (s *Snapshot) WriteManifestTo(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# snapshot %s of %s taken %s\n", s.ID, s.Host, s.Time.Format(time.RFC3339))
	for _, n := range s.Files {
		fmt.Fprintf(bw, "%s %12d %s %s\n", n.Mode, n.Size, n.ModTime.Format(time.RFC3339), filepath.Join(n.Root, n.Path))
	}
	return bw.Flush()
}
