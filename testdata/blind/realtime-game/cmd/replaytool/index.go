package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/realtimegame/internal/replay"
)

// index is the serve mode's view of the replay directory. While it is open it
// holds a lock file so two servers do not index the same directory.
type index struct {
	dir      string
	lockPath string

	mu      sync.RWMutex
	entries []replay.IndexEntry
	loaded  time.Time
}

func openIndex(dir string) (*index, error) {
	lockPath := filepath.Join(dir, ".replaytool.lock")
	f, err := os.OpenFile(lockPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("another replaytool is serving %s (remove %s if it is stale)", dir, lockPath)
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(lockPath)
		return nil, err
	}
	ix := &index{dir: dir, lockPath: lockPath}
	if err := ix.refresh(); err != nil {
		_ = os.Remove(lockPath)
		return nil, err
	}
	return ix, nil
}

func (ix *index) refresh() error {
	entries, err := replay.Index(ix.dir)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.entries, ix.loaded = entries, time.Now()
	return nil
}

// Close releases the directory lock.
func (ix *index) Close() error {
	return os.Remove(ix.lockPath)
}

func (ix *index) handleList(w http.ResponseWriter, r *http.Request) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Last-Modified", ix.loaded.UTC().Format(http.TimeFormat))
	if err := json.NewEncoder(w).Encode(ix.entries); err != nil {
		log.Printf("list: %v", err)
	}
}

func (ix *index) handleRefresh(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := ix.refresh(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
