package sticky

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

type fileFormat struct {
	Version int               `json:"version"`
	Saved   time.Time         `json:"saved"`
	Entries map[string]string `json:"entries"`
}

// SaveFile persists live entries so that affinity survives a restart.
func (t *Table) SaveFile(path string) error {
	snap := t.snapshot()
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("sticky: save: %w", err)
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(f)
	if err = enc.Encode(fileFormat{Version: 1, Saved: t.now(), Entries: snap}); err != nil {
		return fmt.Errorf("sticky: save: %w", err)
	}
	return os.Rename(tmp, path)
}

// LoadFile restores entries saved by SaveFile; their timestamps are reset.
func (t *Table) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return fmt.Errorf("sticky: load: %w", err)
	}
	defer f.Close()

	var ff fileFormat
	if err := json.NewDecoder(f).Decode(&ff); err != nil {
		return fmt.Errorf("sticky: load %s: %w", filepath.Base(path), err)
	}
	if ff.Version != 1 {
		return fmt.Errorf("sticky: load: unsupported version %d", ff.Version)
	}
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, b := range ff.Entries {
		t.entries[k] = entry{backend: b, lastSeen: now}
	}
	return nil
}

// ExportCSV writes "client,backend" rows sorted by client. The deferred
// Flush only matters on the early-return paths; the success path flushes and
// checks the writer's error itself.
func (t *Table) ExportCSV(w io.Writer) error {
	snap := t.snapshot()
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	cw := csv.NewWriter(w)
	defer cw.Flush()
	if err := cw.Write([]string{"client", "backend"}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := cw.Write([]string{k, snap[k]}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
