package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
)

const stateVersion = 2

type stateFile struct {
	Version int             `json:"version"`
	Jobs    json.RawMessage `json:"jobs"`
}

// migrateState upgrades the persisted registry to the current format. It
// holds a lock file so that two runners on one host do not race.
func migrateState(dir string) error {
	if dir == "" {
		return nil
	}
	lock := filepath.Join(dir, "state.lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("state is locked by another runner (%s): %w", lock, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	defer os.Remove(lock)

	path := filepath.Join(dir, "state.json")
	st, err := readState(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Version > stateVersion {
		log.Fatalf("runner: %s has version %d, this runner understands up to %d; upgrade the runner", path, st.Version, stateVersion) // HAZ exit-skips-defer
	}
	if st.Version == stateVersion {
		return nil
	}
	st.Version = stateVersion
	return writeState(path, st)
}

func readState(path string) (stateFile, error) {
	var st stateFile
	data, err := os.ReadFile(path)
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: %w", path, err)
	}
	if st.Version == 0 {
		st.Version = 1
	}
	return st, nil
}

func writeState(path string, st stateFile) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
