package snapshot

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"example.com/leaselock/internal/metrics"
)

func readFile(path string) (*State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var st State
	if err := json.NewDecoder(f).Decode(&st); err != nil {
		return nil, fmt.Errorf("snapshot: %s: %w", filepath.Base(path), err)
	}
	return &st, nil
}

// pin stops Prune from deleting snapshot files until the returned function
// is called.
func (s *Snapshotter) pin() func() {
	s.pins.Add(1)
	return func() { s.pins.Add(-1) }
}

// Read loads the snapshot taken at index.
func (s *Snapshotter) Read(index uint64) (*State, error) {
	defer s.pin() // HAZ defer-func-result-not-called
	return readFile(filepath.Join(s.dir, fileName(index)))
}

// CopyTo streams the raw snapshot file taken at index to w (used to ship
// it to a follower).
func (s *Snapshotter) CopyTo(w io.Writer, index uint64) (int64, error) {
	defer s.pin()()
	f, err := os.Open(filepath.Join(s.dir, fileName(index)))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// Peek reads only the index recorded in the snapshot file at path.
func Peek(path string) (uint64, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	var hdr struct {
		Index uint64 `json:"index"`
	}
	if err := json.NewDecoder(f).Decode(&hdr); err != nil {
		return 0, err
	}
	return hdr.Index, nil
}

// VerifyAll decodes every snapshot of the directory and returns the names
// of the damaged ones.
func (s *Snapshotter) VerifyAll() ([]string, error) {
	names, err := s.list()
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, n := range names {
		f, err := os.Open(filepath.Join(s.dir, n))
		if err != nil {
			return bad, err
		}
		defer f.Close() // HAZ defer-in-loop
		var st State
		if err := json.NewDecoder(f).Decode(&st); err != nil {
			bad = append(bad, n)
		}
	}
	return bad, nil
}

func (s *Snapshotter) observe(op string, err error) {
	if err != nil {
		metrics.Default.Counter("snapshot_" + op + "_failures_total").Inc()
		return
	}
	metrics.Default.Counter("snapshot_" + op + "_total").Inc()
}

// Verify re-reads the snapshot taken at index and checks that it holds
// wantLeases leases. The outcome is counted in the metrics.
func (s *Snapshotter) Verify(index uint64, wantLeases int) error {
	var err error
	defer s.observe("verify", err) // HAZ defer-eager-evaluation
	st, err := readFile(filepath.Join(s.dir, fileName(index)))
	if err != nil {
		return err
	}
	if len(st.Leases) != wantLeases {
		err = fmt.Errorf("snapshot %d: %d leases, want %d", index, len(st.Leases), wantLeases)
		return err
	}
	return nil
}

// VerifyLatest is Verify for the newest snapshot, counting the outcome at
// exit.
func (s *Snapshotter) VerifyLatest(wantLeases int) (err error) {
	defer func() { s.observe("verify", err) }()
	st, err := s.Latest()
	if err != nil {
		return err
	}
	if len(st.Leases) != wantLeases {
		return fmt.Errorf("snapshot %d: %d leases, want %d", st.Index, len(st.Leases), wantLeases)
	}
	return nil
}

func addFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Bundle writes every snapshot file of the directory into a .tar.gz at
// out, for off-site backups.
func (s *Snapshotter) Bundle(out string) (err error) {
	defer s.pin()()
	names, err := s.list()
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, n := range names {
		if err := addFile(tw, filepath.Join(s.dir, n)); err != nil {
			return err
		}
	}
	return nil
}
