package materialize

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// SnapshotRows counts the rows of a published snapshot without keeping them.
func SnapshotRows(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		rg, err := ReadRowGroup(zr)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n += rg.Rows()
	}
}

// WriteDelta writes a delta file: the row groups changed since the last full
// snapshot, as chosen by the caller.
func WriteDelta(path string, groups []*RowGroup) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, g := range groups {
		if err := WriteRowGroup(zw, g); err != nil {
			return err
		}
	}
	return nil
}

// Promote points OutDir/current at run. If run's manifest cannot be read
// through the new link, the previous target is restored.
func (m *Materializer) Promote(run string) error {
	current := filepath.Join(m.cfg.OutDir, "current")
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	if old, err := os.Readlink(current); err == nil {
		rollback = func() {
			_ = os.Remove(current)
			_ = os.Symlink(old, current)
		}
	}
	_ = os.Remove(current)
	if err := os.Symlink(run, current); err != nil {
		return err
	}
	if _, err := ReadManifest(filepath.Join(current, "manifest.json")); err != nil {
		return fmt.Errorf("materialize: promote %s: %w", run, err)
	}
	rollback = func() {}
	return nil
}

func (m *Materializer) reportPanic(stage string, r any) {
	if r != nil {
		log.Printf("materialize: %s panicked: %v", stage, r)
		m.metrics.Inc("materialize.panics", 1)
	}
}

// loadSafely is load for partitions from outside the pipeline: a malformed
// group must not take the materialiser down.
func (m *Materializer) loadSafely(groups []*RowGroup) int {
	defer m.reportPanic("load", recover()) // HAZ recover-ineffective
	return m.load(groups)
}

// loadParallel loads each group in its own goroutine; a group whose load
// panics is logged and skipped.
func (m *Materializer) loadParallel(groups []*RowGroup) int {
	var wg sync.WaitGroup
	var total atomic.Int64
	for _, g := range groups {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					log.Printf("materialize: skipping row group: %v", r)
				}
			}()
			total.Add(int64(m.load([]*RowGroup{g})))
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return int(total.Load())
}

// Verify checks a published run directory against its manifest. The
// snapshot is hashed while the manifest is read.
func Verify(dir string) error {
	type hashResult struct {
		sum []byte
		err error
	}
	ch := make(chan hashResult)
	go func() {
		sum, err := fileSHA256(filepath.Join(dir, "snapshot.fspq.gz"))
		ch <- hashResult{sum, err} // HAZ goroutine-blocked-send
	}()
	entries, err := ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err
	}
	var want string
	for _, e := range entries {
		if e.Partition == "snapshot.fspq.gz" {
			want = e.SHA256
		}
	}
	if want == "" {
		return fmt.Errorf("materialize: %s: manifest lists no snapshot", dir)
	}
	res := <-ch
	if res.err != nil {
		return res.err
	}
	if got := hex.EncodeToString(res.sum); got != want {
		return fmt.Errorf("materialize: %s: snapshot sha256 %s, manifest says %s", dir, got, want)
	}
	return nil
}

// Upload pipes a published snapshot to the configured upload command (for
// example an object-store CLI reading from stdin).
func (m *Materializer) Upload(ctx context.Context, path string) error {
	if len(m.cfg.Upload) == 0 {
		return errors.New("materialize: no upload command configured")
	}
	cmd := exec.CommandContext(ctx, m.cfg.Upload[0], m.cfg.Upload[1:]...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(stdin, f); err != nil {
		return err
	}
	return stdin.Close()
}
