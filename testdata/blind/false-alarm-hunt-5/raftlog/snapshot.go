package raftlog

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Snapshot is the state machine image at Index/Term.
type Snapshot struct {
	Index uint64
	Term  uint64
	Data  []byte
}

type snapHeader struct {
	Index uint64 `json:"index"`
	Term  uint64 `json:"term"`
	Size  int    `json:"size"`
	CRC   uint32 `json:"crc"`
}

// ErrNoSnapshot is returned when a directory has no snapshot.
var ErrNoSnapshot = errors.New("raftlog: no snapshot")

func snapName(index, term uint64) string {
	return fmt.Sprintf("%016x-%016x.snap", term, index)
}

// SaveSnapshot writes s through a temp file. The deferred cleanup closes
// and removes the temp file only on failure; on success the gzip writer
// and the file are closed explicitly and their errors checked.
func SaveSnapshot(dir string, s Snapshot) (err error) {
	tmp, err := os.CreateTemp(dir, "snap-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	zw := gzip.NewWriter(tmp)
	hdr := snapHeader{Index: s.Index, Term: s.Term, Size: len(s.Data), CRC: crc32.Checksum(s.Data, crcTable)}
	hb, err := json.Marshal(hdr)
	if err != nil {
		return err
	}
	var lenBuf [4]byte
	binary.BigEndian.PutUint32(lenBuf[:], uint32(len(hb)))
	if _, err := zw.Write(append(lenBuf[:], hb...)); err != nil {
		return err
	}
	if _, err := zw.Write(s.Data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, snapName(s.Index, s.Term))); err != nil {
		return err
	}
	return syncDir(dir)
}

// LoadSnapshot reads and verifies a snapshot file.
func LoadSnapshot(path string) (Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return Snapshot{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	var lenBuf [4]byte
	if _, err := io.ReadFull(zr, lenBuf[:]); err != nil {
		return Snapshot{}, fmt.Errorf("%s: header length: %w", path, err)
	}
	hb := make([]byte, min(binary.BigEndian.Uint32(lenBuf[:]), 1<<16))
	if _, err := io.ReadFull(zr, hb); err != nil {
		return Snapshot{}, fmt.Errorf("%s: header: %w", path, err)
	}
	var hdr snapHeader
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return Snapshot{}, fmt.Errorf("%s: header: %w", path, err)
	}
	data := make([]byte, hdr.Size)
	if _, err := io.ReadFull(zr, data); err != nil {
		return Snapshot{}, fmt.Errorf("%s: body: %w", path, err)
	}
	if crc32.Checksum(data, crcTable) != hdr.CRC {
		return Snapshot{}, fmt.Errorf("%w: %s checksum mismatch", errCorrupt, path)
	}
	return Snapshot{Index: hdr.Index, Term: hdr.Term, Data: data}, nil
}

// LatestSnapshot returns the path of the newest snapshot in dir.
func LatestSnapshot(dir string) (string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.snap"))
	if err != nil {
		return "", err
	}
	if len(paths) == 0 {
		return "", ErrNoSnapshot
	}
	sort.Strings(paths)
	return paths[len(paths)-1], nil
}

// RestoreLog rebuilds a log from the newest snapshot and the segments.
func RestoreLog(snapDir, walDir string) (*Log, Snapshot, error) {
	var snap Snapshot
	path, err := LatestSnapshot(snapDir)
	switch {
	case errors.Is(err, ErrNoSnapshot):
	case err != nil:
		return nil, snap, err
	default:
		if snap, err = LoadSnapshot(path); err != nil {
			return nil, snap, err
		}
	}
	l := NewLog(snap.Index, snap.Term)
	ents, err := LoadDir(walDir)
	if err != nil && !errors.Is(err, errNoSegments) {
		return nil, snap, err
	}
	for _, e := range ents {
		if e.Index <= snap.Index {
			continue
		}
		if _, err := l.Append(e); err != nil {
			return nil, snap, err
		}
	}
	return l, snap, nil
}

// TakeSnapshot saves data as the state at the commit index and compacts
// the log behind it. The trace uses the defer f()() idiom.
func (n *Node) TakeSnapshot(dir string, data []byte) error {
	defer n.trace("snapshot")()
	st := n.Status()
	term, err := n.log.Term(st.Commit)
	if err != nil {
		return err
	}
	if err := SaveSnapshot(dir, Snapshot{Index: st.Commit, Term: term, Data: data}); err != nil {
		return err
	}
	if err := n.log.Compact(st.Commit); err != nil && !errors.Is(err, ErrCompacted) {
		return err
	}
	return nil
}
