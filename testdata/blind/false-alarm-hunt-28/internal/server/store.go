// Package server implements forged, the shared remote cache that forge
// clients upload build outputs to.
package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"example.com/fah28/internal/archive"
	"example.com/fah28/internal/fsutil"
)

const (
	maxObject = 256 << 20
	maxUpload = 1 << 30
)

var idPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

type meta struct {
	Size   int64     `json:"size"`
	Stored time.Time `json:"stored"`
}

// Store is the object store behind forged. Fields below mu are guarded by mu.
type Store struct {
	dir    string
	tmpDir string
	log    *log.Logger

	janitor     chan string   // scratch dirs waiting to be removed
	janitorDone chan struct{} // closed when runJanitor returns
	closeOnce   sync.Once

	mu    sync.Mutex
	index map[string]meta
}

// Open opens the store in dir and starts its janitor. Handlers must not be
// running any more when Close is called.
func Open(dir string, logger *log.Logger) (*Store, error) {
	s := &Store{
		dir:         dir,
		tmpDir:      filepath.Join(dir, "tmp"),
		log:         logger,
		janitor:     make(chan string, 64),
		janitorDone: make(chan struct{}),
		index:       make(map[string]meta),
	}
	for _, d := range []string{filepath.Join(dir, "objects"), s.tmpDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := s.loadIndex(); err != nil {
		return nil, err
	}
	go s.runJanitor()
	return s, nil
}

func (s *Store) objectPath(id string) string {
	return filepath.Join(s.dir, "objects", id)
}

// loadIndex reads the persisted index, if any.
func (s *Store) loadIndex() error {
	f, err := os.Open(filepath.Join(s.dir, "index.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewDecoder(f).Decode(&s.index)
}

// saveIndex persists the index atomically.
func (s *Store) saveIndex() error {
	s.mu.Lock()
	data, err := json.Marshal(s.index)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(filepath.Join(s.dir, "index.json"), data, 0o644)
}

// Close stops the janitor (waiting at most ten seconds for it) and
// persists the index.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.janitor) })
	select {
	case <-s.janitorDone:
	case <-time.After(10 * time.Second):
		s.log.Printf("janitor still busy; some scratch directories are left behind")
	}
	return s.saveIndex()
}

// runJanitor removes queued scratch directories until the queue is closed.
func (s *Store) runJanitor() {
	defer close(s.janitorDone)
	for dir := range s.janitor {
		if err := os.RemoveAll(dir); err != nil {
			s.log.Printf("janitor: %v", err)
		}
	}
}

// scheduleRemoval queues dir for the janitor without blocking; if the
// queue is full the directory is left for the next startup sweep.
func (s *Store) scheduleRemoval(dir string) {
	select {
	case s.janitor <- dir:
	default:
		s.log.Printf("janitor queue full; leaving %s", dir)
	}
}

// discard removes a scratch directory right away.
func (s *Store) discard(dir string) {
	if err := os.RemoveAll(dir); err != nil {
		s.log.Printf("remove %s: %v", dir, err)
	}
}

// Handler returns the HTTP API of the store.
func (s *Store) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /objects/{id}", s.handleGet)
	mux.HandleFunc("PUT /objects/{id}", s.handlePut)
	mux.HandleFunc("POST /v1/upload", s.handleUpload)
	mux.HandleFunc("POST /v2/import", s.handleImport)
	mux.HandleFunc("GET /objects/{id}/verify", s.handleVerify)
	mux.HandleFunc("DELETE /objects/{id}", s.handleDelete)
	mux.HandleFunc("GET /objects/{id}/digest", s.handleDigest)
	mux.HandleFunc("GET /stats", s.handleStats)
	return mux
}

func (s *Store) handleGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		http.Error(w, "bad object id", http.StatusBadRequest)
		return
	}
	f, err := os.Open(s.objectPath(id))
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, id, fi.ModTime(), f)
}

func (s *Store) handlePut(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		http.Error(w, "bad object id", http.StatusBadRequest)
		return
	}
	tmp, err := os.CreateTemp(s.tmpDir, "put-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	defer tmp.Close()           // error paths only; checked below on success
	n, err := io.Copy(tmp, http.MaxBytesReader(w, r.Body, maxObject))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := tmp.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := os.Rename(tmp.Name(), s.objectPath(id)); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	s.index[id] = meta{Size: n, Stored: time.Now()}
	s.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
}

// ingest moves every object file found in scratch into the store.
func (s *Store) ingest(scratch string) (int, error) {
	n := 0
	err := filepath.WalkDir(scratch, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		id := d.Name()
		if !idPattern.MatchString(id) {
			return fmt.Errorf("unexpected file %s in upload", id)
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.Rename(path, s.objectPath(id)); err != nil {
			return err
		}
		s.mu.Lock()
		s.index[id] = meta{Size: fi.Size(), Stored: time.Now()}
		s.mu.Unlock()
		n++
		return nil
	})
	return n, err
}

// handleUpload is the v1 bulk endpoint kept for old clients: it unpacks a
// tarball of objects into a scratch directory and ingests them.
func (s *Store) handleUpload(w http.ResponseWriter, r *http.Request) {
	scratch, err := os.MkdirTemp(s.tmpDir, "upload-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer s.discard(scratch) // HAZ defer-blocking-call
	if err := archive.Extract(http.MaxBytesReader(w, r.Body, maxUpload), scratch); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n, err := s.ingest(scratch)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "stored %d objects\n", n)
}

// handleImport is the v2 bulk endpoint. The scratch directory is handed to
// the janitor instead of being removed while the client waits.
func (s *Store) handleImport(w http.ResponseWriter, r *http.Request) {
	scratch, err := os.MkdirTemp(s.tmpDir, "import-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer s.scheduleRemoval(scratch)
	if err := archive.Extract(http.MaxBytesReader(w, r.Body, maxUpload), scratch); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n, err := s.ingest(scratch)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int{"stored": n})
}

// verify re-reads object id and checks its size against the index.
func (s *Store) verify(id string) error {
	fi, err := os.Stat(s.objectPath(id))
	if err != nil {
		return err
	}
	s.mu.Lock()
	m, ok := s.index[id]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("object %s is not indexed", id)
	}
	if fi.Size() != m.Size {
		return fmt.Errorf("object %s: size %d, index says %d", id, fi.Size(), m.Size)
	}
	return nil
}

// handleVerify checks one object. If the client goes away first, the
// verifier still finishes: its result channel has room for the answer.
func (s *Store) handleVerify(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	resc := make(chan error, 1)
	go func() { resc <- s.verify(id) }()
	select {
	case err := <-resc:
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		fmt.Fprintln(w, "ok")
	case <-r.Context().Done():
	}
}

// totalSizeLocked sums the indexed sizes. It must be called with s.mu held.
func (s *Store) totalSizeLocked() int64 {
	var total int64
	for _, m := range s.index {
		total += m.Size
	}
	return total
}

func (s *Store) handleStats(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	objects := len(s.index)
	bytes := s.totalSizeLocked()
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int64{"objects": int64(objects), "bytes": bytes})
}

func (s *Store) handleDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.index[id]; !ok {
		http.NotFound(w, r)
		return
	}
	delete(s.index, id)
	s.mu.Unlock()
	if err := os.Remove(s.objectPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// digest returns the SHA-256 of object id. Objects can be large.
func (s *Store) digest(id string) (string, error) {
	f, err := os.Open(s.objectPath(id))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// handleDigest hashes an object for clients that verify downloads. It stops
// waiting when the client goes away.
func (s *Store) handleDigest(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		http.Error(w, "bad object id", http.StatusBadRequest)
		return
	}
	type result struct {
		sum string
		err error
	}
	resc := make(chan result)
	go func() {
		sum, err := s.digest(id)
		resc <- result{sum, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-resc:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, res.sum)
	case <-r.Context().Done():
	}
}
