package admin

import (
	"encoding/json"
	"log"
	"os"
	"path/filepath"
)

// MustLoadState loads dir/state.json into a T while holding the directory
// lock. It is meant for start-up code, where a broken state file is fatal.
func MustLoadState[T any](dir string) T {
	lock, err := acquireLock(dir)
	if err != nil {
		log.Fatalf("state: %v", err) // ok: nothing deferred yet
	}
	defer lock.Release()

	var v T
	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		log.Fatalf("state: load %s: %v", dir, err) // HAZ exit-skips-defer
	}
	return v
}

// LoadStateOrDefault is the non-fatal variant: the lock is released on every
// path and errors are handed back to the caller.
func LoadStateOrDefault[T any](dir string, def T) (T, error) {
	lock, err := acquireLock(dir)
	if err != nil {
		return def, err
	}
	defer lock.Release()

	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if os.IsNotExist(err) {
		return def, nil
	}
	if err != nil {
		return def, err
	}
	v := def
	if err := json.Unmarshal(b, &v); err != nil {
		log.Printf("state: %s is corrupt, using defaults: %v", dir, err) // ok: log.Printf does not exit
		return def, nil
	}
	return v, nil
}
