// Package repo is the local repository: a config file, the blob index and the
// pack files that blobs are appended to.
package repo

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/backupd/internal/chunker"
	"example.com/backupd/internal/index"
	"example.com/backupd/internal/pack"
	"example.com/backupd/internal/seal"
)

// Config is the repository's config file.
type Config struct {
	Version  int       `json:"version"`
	ChunkMin int       `json:"chunk_min"`
	ChunkMax int       `json:"chunk_max"`
	PackSize int64     `json:"pack_size"`
	Created  time.Time `json:"created"`
	ID       string    `json:"id"`
}

// Stats is a summary for logs and the status endpoint.
type Stats struct {
	Blobs         int
	Packs         int
	PendingBlobs  int
	PendingBytes  int64
	FinishedPacks int
}

// Repo is an open repository.
type Repo struct {
	root   string
	cfg    Config
	idx    *index.Index
	sealer *seal.Sealer
	log    *log.Logger

	mu       sync.Mutex
	cur      *pack.Writer
	pending  map[chunker.ID]bool
	finished []string
	closed   bool
}

// Init creates an empty repository at root.
func Init(root string) error {
	for _, d := range []string{"packs", "snapshots", "spool"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			return err
		}
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return err
	}
	cfg := Config{
		Version:  1,
		ChunkMin: chunker.DefaultMin,
		ChunkMax: chunker.DefaultMax,
		PackSize: 16 << 20,
		Created:  time.Now().UTC(),
		ID:       fmt.Sprintf("%x", id),
	}
	return writeConfig(filepath.Join(root, "config"), cfg)
}

func writeConfig(path string, cfg Config) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(cfg)
}

func readConfig(path string) (Config, error) {
	var cfg Config
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, err
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return cfg, fmt.Errorf("repo: %s: %w", path, err)
	}
	if cfg.Version != 1 {
		return cfg, fmt.Errorf("repo: unsupported version %d", cfg.Version)
	}
	return cfg, nil
}

// Open opens the repository at root with the master key.
func Open(root string, key []byte, logger *log.Logger) (*Repo, error) {
	cfg, err := readConfig(filepath.Join(root, "config"))
	if err != nil {
		return nil, err
	}
	s, err := seal.New(key)
	if err != nil {
		return nil, err
	}
	idx, err := index.Load(filepath.Join(root, "index"))
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = log.Default()
	}
	return &Repo{root: root, cfg: cfg, idx: idx, sealer: s, log: logger, pending: make(map[chunker.ID]bool)}, nil
}

// Index returns the blob index.
func (r *Repo) Index() *index.Index { return r.idx }

// ChunkParams returns the chunk size bounds of the repository.
func (r *Repo) ChunkParams() (minSize, maxSize int) { return r.cfg.ChunkMin, r.cfg.ChunkMax }

// Root returns the repository directory.
func (r *Repo) Root() string { return r.root }

func (r *Repo) packDir() string   { return filepath.Join(r.root, "packs") }
func (r *Repo) indexPath() string { return filepath.Join(r.root, "index") }

// SaveBlob compresses, seals and stores a blob unless it is already present.
// It reports whether the blob was new.
func (r *Repo) SaveBlob(id chunker.ID, data []byte) (bool, error) {
	if r.idx.Has(id) {
		return false, nil
	}
	z, err := pack.Compress(data)
	if err != nil {
		return false, err
	}
	sealed, err := r.sealer.Seal(z)
	if err != nil {
		return false, err
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false, errors.New("repo: closed")
	}
	if r.pending[id] {
		return false, nil
	}
	if r.cur == nil {
		w, err := pack.Create(r.packDir())
		if err != nil {
			return false, err
		}
		r.cur = w
	}
	if err := r.cur.Add(id, sealed); err != nil {
		return false, err
	}
	r.pending[id] = true
	if r.cur.Size() >= r.cfg.PackSize {
		if err := r.flushLocked(); err != nil {
			return false, err
		}
	}
	return true, nil
}

// flushLocked finalizes the open pack and indexes it; r.mu must be held.
func (r *Repo) flushLocked() error {
	if r.cur == nil || r.cur.Count() == 0 {
		return nil
	}
	w := r.cur
	r.cur = nil
	entries := w.Entries()
	id, err := w.Finalize()
	if err != nil {
		return err
	}
	if dups := r.idx.AddPack(id, entries); dups > 0 {
		r.log.Printf("repo: pack %s holds %d duplicate blobs", id, dups)
	}
	r.finished = append(r.finished, pack.Path(r.packDir(), id))
	clear(r.pending)
	return nil
}

// Flush finalizes the open pack, if any.
func (r *Repo) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.flushLocked()
}

// TakeFinished returns and forgets the paths of packs finalized since the
// last call, for the uploader.
func (r *Repo) TakeFinished() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.finished
	r.finished = nil
	return out
}

// Pending returns the number of blobs in the open pack.
func (r *Repo) Pending() int {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if r.closed {
		panic("repo: Pending called after Close")
	}
	n := len(r.pending)
	r.mu.Unlock()
	return n
}

// Stats returns current counters.
func (r *Repo) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := Stats{Blobs: r.idx.Len(), Packs: r.idx.PackCount(), FinishedPacks: len(r.finished)}
	if r.cur != nil {
		st.PendingBlobs = r.cur.Count()
		st.PendingBytes = r.cur.Size()
	}
	return st
}

func (r *Repo) logStats() {
	st := r.Stats()
	r.log.Printf("repo: %d blobs in %d packs, %d blobs (%d bytes) pending", st.Blobs, st.Packs, st.PendingBlobs, st.PendingBytes)
}

// Checkpoint finalizes the open pack and persists the index so that an
// interrupted backup can resume. The daemon calls it periodically.
func (r *Repo) Checkpoint() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.flushLocked(); err != nil {
		return err
	}
	if err := r.idx.Save(r.indexPath()); err != nil {
		return err
	}
	r.logStats() // HAZ lock-reentry-under-defer
	return nil
}

// lockWriter blocks blob writers and returns the function that lets them
// continue.
func (r *Repo) lockWriter() func() {
	r.mu.Lock()
	return r.mu.Unlock
}

// AbortPending throws away the open pack (a cancelled backup) so that no
// half-written pack is left in packs/tmp.
func (r *Repo) AbortPending() error {
	unlock := r.lockWriter()
	defer unlock()
	if r.cur == nil {
		return nil
	}
	w := r.cur
	r.cur = nil
	clear(r.pending)
	return w.Abort()
}

// LoadBlob reads, opens and decompresses a blob and checks its digest.
func (r *Repo) LoadBlob(id chunker.ID) ([]byte, error) {
	loc, ok := r.idx.Lookup(id)
	if !ok {
		return nil, fmt.Errorf("repo: blob %s not in index", id)
	}
	pr, err := pack.Open(pack.Path(r.packDir(), loc.Pack))
	if err != nil {
		return nil, err
	}
	defer pr.Close()

	sealed, err := pr.ReadBlob(loc.Offset, loc.Length)
	if err != nil {
		return nil, err
	}
	z, err := r.sealer.Open(sealed)
	if err != nil {
		return nil, fmt.Errorf("repo: blob %s: %w", id, err)
	}
	plain, err := pack.Decompress(z)
	if err != nil {
		return nil, fmt.Errorf("repo: blob %s: %w", id, err)
	}
	if chunker.Sum(plain) != id {
		return nil, fmt.Errorf("repo: blob %s: content does not match its id", id)
	}
	return plain, nil
}

// Close finalizes the open pack and saves the index.
func (r *Repo) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	err := r.flushLocked()
	r.mu.Unlock()
	if err != nil {
		return err
	}
	return r.idx.Save(r.indexPath())
}
