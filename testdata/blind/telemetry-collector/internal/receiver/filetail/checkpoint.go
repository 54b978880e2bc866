package filetail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

type checkpoint struct {
	Version int              `json:"version"`
	Offsets map[string]int64 `json:"offsets"`
}

func (t *Tailer) snapshotOffsets() map[string]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int64, len(t.offsets))
	for k, v := range t.offsets {
		out[k] = v
	}
	return out
}

func (t *Tailer) snapshot() checkpoint {
	return checkpoint{Version: 1, Offsets: t.snapshotOffsets()}
}

// save writes the checkpoint atomically.
func (c checkpoint) save(path string) (err error) {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// SaveCheckpoint writes the current offsets.
func (t *Tailer) SaveCheckpoint() error {
	if t.cfg.CheckpointPath == "" {
		return nil
	}
	return t.snapshot().save(t.cfg.CheckpointPath)
}

// Drain reads everything currently in the files and checkpoints the result;
// tailcat -once uses it.
func (t *Tailer) Drain(ctx context.Context) error {
	if t.cfg.CheckpointPath != "" {
		defer t.snapshot().save(t.cfg.CheckpointPath) // HAZ defer-call-chain
	}
	if err := t.scanAll(ctx); err != nil {
		return err
	}
	t.logger.Printf("filetail: drained %d files", len(t.snapshotOffsets()))
	return nil
}

// ScanOnce runs one scan of every file; tests set afterScan to learn when
// a scan finished.
func (t *Tailer) ScanOnce(ctx context.Context) error {
	defer t.afterScan() // HAZ defer-nil-func
	if err := t.scanAll(ctx); err != nil {
		return err
	}
	return t.SaveCheckpoint()
}

// LoadCheckpoint restores offsets written by SaveCheckpoint.
func (t *Tailer) LoadCheckpoint() error {
	if t.cfg.CheckpointPath == "" {
		return nil
	}
	f, err := os.Open(t.cfg.CheckpointPath)
	if err != nil {
		return err
	}
	defer f.Close()
	var cp checkpoint
	if err := json.NewDecoder(f).Decode(&cp); err != nil {
		return fmt.Errorf("decode %s: %w", t.cfg.CheckpointPath, err)
	}
	if cp.Version != 1 {
		return errors.New("unsupported checkpoint version")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, v := range cp.Offsets {
		t.offsets[k] = v
	}
	return nil
}

// DumpOffsets writes a human-readable offset report, for support bundles.
func (t *Tailer) DumpOffsets(path string) error {
	offs := t.snapshotOffsets()
	names := make([]string, 0, len(offs))
	for name := range offs {
		names = append(names, name)
	}
	sort.Strings(names)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, name := range names {
		if _, err := fmt.Fprintf(f, "%12d  %s\n", offs[name], name); err != nil {
			return err
		}
	}
	return nil
}

// Forget drops checkpoint entries for files that no longer exist.
func (t *Tailer) Forget() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for p := range t.offsets {
		if _, err := os.Stat(filepath.Clean(p)); errors.Is(err, os.ErrNotExist) {
			delete(t.offsets, p)
			n++
		}
	}
	return n
}
