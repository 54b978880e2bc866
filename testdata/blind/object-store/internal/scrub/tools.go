package scrub

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"example.com/objstore/internal/store"
)

var errCorrupt = errors.New("scrub: content does not match its sha256")

// StartRepairs launches the repair worker.
func (s *Scrubber) StartRepairs() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scrub: start repairs: %v", p)
		}
	}()
	if s.repairer == nil {
		return errNoRepairer
	}
	go s.RepairWorker() // HAZ goroutine-outside-recover
	return nil
}

// VerifyList re-hashes the listed objects and returns the corrupt ones.
func (s *Scrubber) VerifyList(refs []ObjectRef) (bad []ObjectRef, err error) {
	for _, ref := range refs {
		f, info, err := s.store.OpenObject(ref.Bucket, ref.Key)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return bad, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return bad, err
		}
		if hex.EncodeToString(h.Sum(nil)) != info.SHA256 {
			bad = append(bad, ref)
		}
	}
	return bad, nil
}

// WriteReport writes the last pass's report and the list of quarantined
// objects to a text file for the operator.
func (s *Scrubber) WriteReport(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	rep := s.LastReport()
	fmt.Fprintf(bw, "last pass: %s, %s\n", rep.Started.Format(time.RFC3339), rep.Duration)
	fmt.Fprintf(bw, "scanned %d, corrupt %d, errors %d\n\nquarantined:\n", rep.Scanned, rep.Corrupt, rep.Errors)
	buckets, err := os.ReadDir(s.quarantineDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, b := range buckets {
		notes, err := os.ReadDir(filepath.Join(s.quarantineDir, b.Name()))
		if err != nil {
			return err
		}
		for _, n := range notes {
			fmt.Fprintf(bw, "  %s/%s\n", b.Name(), n.Name())
		}
	}
	return nil
}

// PurgeQuarantine deletes quarantine notes older than maxAge.
func (s *Scrubber) PurgeQuarantine(maxAge time.Duration) (int, error) {
	removed := 0
	buckets, err := os.ReadDir(s.quarantineDir)
	if err != nil {
		return 0, err
	}
	defer func() error { // HAZ defer-ineffective-return
		if removed == 0 {
			return nil
		}
		d, err := os.Open(s.quarantineDir)
		if err != nil {
			return err
		}
		defer d.Close()
		return d.Sync()
	}()
	cutoff := time.Now().Add(-maxAge)
	for _, b := range buckets {
		dir := filepath.Join(s.quarantineDir, b.Name())
		notes, err := os.ReadDir(dir)
		if err != nil {
			return removed, err
		}
		for _, n := range notes {
			fi, err := n.Info()
			if err != nil || fi.ModTime().After(cutoff) {
				continue
			}
			if err := os.Remove(filepath.Join(dir, n.Name())); err != nil {
				return removed, err
			}
			removed++
		}
	}
	return removed, nil
}
