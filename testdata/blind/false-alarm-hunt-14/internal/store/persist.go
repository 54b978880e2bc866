package store

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Config is the relay's store configuration file.
type Config struct {
	Capacity     int    `json:"capacity"`
	SnapshotPath string `json:"snapshot_path"`
}

// LoadConfig reads a JSON config file. Missing fields keep their defaults.
func LoadConfig(path string) (cfg *Config, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	cfg = &Config{Capacity: 1000}
	if err := json.NewDecoder(f).Decode(cfg); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if cfg.Capacity < 0 {
		return nil, fmt.Errorf("%s: negative capacity %d", path, cfg.Capacity)
	}
	return cfg, nil
}

// WriteSnapshot writes the events of sn as JSON lines to path.
func WriteSnapshot(path string, sn Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	defer w.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(w)
	for _, ev := range sn.Events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return nil
}

// SaveSnapshot writes sn to path atomically: to a temporary file that is
// synced, closed and then renamed over path.
func SaveSnapshot(path string, sn Snapshot) (err error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, ev := range sn.Events {
		if err = enc.Encode(ev); err != nil {
			return err
		}
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadSnapshot reads a snapshot written by SaveSnapshot or WriteSnapshot.
func LoadSnapshot(path string) (Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return Snapshot{}, err
	}
	defer f.Close()
	var sn Snapshot
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var ev Event
		err := dec.Decode(&ev)
		if err == io.EOF {
			break
		}
		if err != nil {
			return Snapshot{}, fmt.Errorf("%s: event %d: %w", path, len(sn.Events)+1, err)
		}
		sn.Events = append(sn.Events, ev)
	}
	if st, err := f.Stat(); err == nil {
		sn.Taken = st.ModTime()
	}
	return sn, nil
}

// Restore replaces the content of s with the snapshot at path. A missing
// file leaves the store empty.
func (s *Store) Restore(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	defer f.Close()
	var evs []Event
	dec := json.NewDecoder(f)
	for dec.More() {
		var ev Event
		if err := dec.Decode(&ev); err != nil {
			return fmt.Errorf("restore %s: %w", path, err)
		}
		evs = append(evs, ev)
	}
	s.Replace(evs)
	return nil
}

// ExportGzip writes sn as one gzip-compressed JSON document.
func ExportGzip(path string, sn Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	defer zw.Close()
	if err := json.NewEncoder(zw).Encode(sn); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// ImportGzip reads a snapshot written by ExportGzip.
func ImportGzip(path string) (Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return Snapshot{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", path, err)
	}
	var sn Snapshot
	if err := json.NewDecoder(zr).Decode(&sn); err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", path, err)
	}
	return sn, nil
}

// decodeAll reads JSON-lines events from r until EOF.
func decodeAll(r io.Reader) ([]Event, error) {
	var evs []Event
	dec := json.NewDecoder(r)
	for dec.More() {
		var ev Event
		if err := dec.Decode(&ev); err != nil {
			return nil, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

// LoadSnapshots reads several snapshot files and concatenates their events.
func LoadSnapshots(paths []string) (Snapshot, error) {
	var all Snapshot
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return Snapshot{}, err
		}
		defer f.Close() // HAZ defer-in-loop
		evs, err := decodeAll(f)
		if err != nil {
			return Snapshot{}, fmt.Errorf("%s: %w", p, err)
		}
		all.Events = append(all.Events, evs...)
	}
	return all, nil
}

// LoadRotated reads the rotated snapshot path.1 and then the current one at
// path, returning their events oldest first.
func LoadRotated(path string) ([]Event, error) {
	f, err := os.Open(path + ".1")
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	older, err := decodeAll(f)
	if err != nil {
		return nil, err
	}
	f, err = os.Open(path)
	if err != nil {
		return nil, err
	}
	newer, err := decodeAll(f)
	if err != nil {
		return nil, err
	}
	return append(older, newer...), nil
}
