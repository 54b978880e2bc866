package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/fah10/internal/archive"
	"example.com/fah10/internal/catalog"
	"example.com/fah10/internal/obs"
	"example.com/fah10/internal/runner"
)

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	defer obs.Region("api.get")()
	key := r.PathValue("key")
	e, ok := s.cat.Get(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(s.blobPath(e.Digest))
	if err != nil {
		s.logf("get %s: %v", key, err)
		http.Error(w, "blob unavailable", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	s.cat.Touch(key)
	defer s.publish("get", key)
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, key, e.LastUsed, f)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	defer obs.Region("api.put") // HAZ defer-func-result-not-called
	key := r.PathValue("key")
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxObject))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	if err := os.WriteFile(s.blobPath(digest), data, 0o644); err != nil {
		s.logf("put %s: %v", key, err)
		http.Error(w, "write failed", http.StatusInternalServerError)
		return
	}
	s.cat.Put(catalog.Entry{Key: key, Digest: digest, Size: int64(len(data))})
	if err := s.mirrorUpload(r.Context(), key, data); err != nil {
		s.logf("put %s: mirror: %v", key, err)
	}
	s.publish("put", key)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer s.audit(r.Context(), "delete", key) // HAZ defer-blocking-call
	e, ok := s.cat.Get(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if e.Refs > 0 {
		http.Error(w, "blob in use", http.StatusConflict)
		return
	}
	s.cat.Delete(key)
	if err := os.Remove(s.blobPath(e.Digest)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.logf("delete %s: %v", key, err)
	}
	s.publish("delete", key)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRestore(w http.ResponseWriter, r *http.Request) {
	defer obs.Region("api.restore")()
	key := r.PathValue("key")
	defer s.keys.lock(key)()
	defer s.auditWithin(r.Context(), 2*time.Second, "restore", key)
	if err := s.restore(r.Context(), key); err != nil {
		if errors.Is(err, catalog.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		s.logf("restore %s: %v", key, err)
		http.Error(w, "restore failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// restore downloads the blob of key from the remote store into the local
// blob directory.
func (s *Server) restore(ctx context.Context, key string) error {
	e, ok := s.cat.Get(key)
	if !ok {
		return fmt.Errorf("restore %s: %w", key, catalog.ErrNotFound)
	}
	err := s.cat.Retain(key)
	if err != nil {
		return err
	}
	span := obs.StartSpan("restore")
	defer span.End(err) // HAZ defer-eager-evaluation
	defer s.cat.Release(key)

	err = s.remote.Download(ctx, e.Digest, s.blobPath(e.Digest))
	if err != nil {
		return err
	}
	s.cat.Touch(key)
	return nil
}

// restoreTraced is restore for the batch endpoint: the span sees the final
// error through the named result.
func (s *Server) restoreTraced(ctx context.Context, key string) (err error) {
	span := obs.StartSpan("restore.batch")
	defer func() { span.End(err) }()
	return s.restore(ctx, key)
}

func (s *Server) handleStat(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	remoteSize := make(chan int64)
	go func() {
		n, err := s.remote.Head(r.Context(), key)
		if err != nil {
			n = -1
		}
		remoteSize <- n // HAZ goroutine-blocked-send
	}()
	e, ok := s.cat.Get(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"key":         e.Key,
		"size":        e.Size,
		"refs":        e.Refs,
		"remote_size": <-remoteSize,
	})
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	defer obs.Region("api.list")()
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			http.Error(w, "bad limit", http.StatusBadRequest)
			return
		}
		limit = n
	}
	keys := s.cat.Keys()
	if len(keys) > limit {
		keys = keys[:limit]
	}
	writeJSON(w, http.StatusOK, keys)
}

func (s *Server) handleBatchHead(w http.ResponseWriter, r *http.Request) {
	var keys []string
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&keys); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	type head struct {
		key  string
		size int64
		err  error
	}
	ch := make(chan head, len(keys))
	for _, k := range keys {
		go func() {
			n, err := s.remote.Head(ctx, k)
			ch <- head{k, n, err}
		}()
	}
	sizes := make(map[string]int64, len(keys))
	for range keys {
		select {
		case h := <-ch:
			if h.err == nil {
				sizes[h.key] = h.size
			}
		case <-ctx.Done():
			http.Error(w, "upstream timeout", http.StatusGatewayTimeout)
			return
		}
	}
	writeJSON(w, http.StatusOK, sizes)
}

func (s *Server) handleBatchRestore(w http.ResponseWriter, r *http.Request) {
	var keys []string
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&keys); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	errc := make(chan error, len(keys))
	for _, k := range keys {
		go func() { errc <- s.restoreTraced(r.Context(), k) }()
	}
	failed := 0
	for range keys {
		if err := <-errc; err != nil {
			failed++
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"restored": len(keys) - failed, "failed": failed})
}

func (s *Server) handleRename(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	to := r.URL.Query().Get("to")
	if to == "" || to == key {
		http.Error(w, "bad target key", http.StatusBadRequest)
		return
	}
	defer s.keys.lock(key) // HAZ defer-func-result-not-called defer-blocking-call
	e, ok := s.cat.Get(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if _, exists := s.cat.Get(to); exists {
		http.Error(w, "target exists", http.StatusConflict)
		return
	}
	e.Key = to
	s.cat.Put(e)
	s.cat.Delete(key)
	s.publish("rename", key)
	w.WriteHeader(http.StatusNoContent)
}

// mirrorUpload validates data and copies it to the remote store in the
// background. A bug in validation is reported as an error, not a crash.
func (s *Server) mirrorUpload(ctx context.Context, key string, data []byte) (err error) {
	defer runner.Recover(&err)
	if s.remote == nil {
		return nil
	}
	validateKey(key)
	go func() { // HAZ goroutine-outside-recover
		if err := s.remote.UploadBytes(context.WithoutCancel(ctx), key, data); err != nil {
			s.logf("mirror %s: %v", key, err)
		}
	}()
	return nil
}

// mirrorUploadSafe is mirrorUpload for the batch path: the background
// upload has its own recover.
func (s *Server) mirrorUploadSafe(ctx context.Context, key string, data []byte) (err error) {
	defer runner.Recover(&err)
	if s.remote == nil {
		return nil
	}
	validateKey(key)
	runner.Go(func() {
		if err := s.remote.UploadBytes(context.WithoutCancel(ctx), key, data); err != nil {
			s.logf("mirror %s: %v", key, err)
		}
	}, func(perr error) { s.logf("mirror %s: %v", key, perr) })
	return nil
}

// validateKey panics on keys that the router should never have accepted.
func validateKey(key string) {
	if key == "" || strings.ContainsAny(key, "/\\\x00") {
		panic(fmt.Sprintf("httpapi: invalid key %q", key))
	}
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	dir, err := os.MkdirTemp(s.blobDir, "import-*")
	if err != nil {
		http.Error(w, "no scratch space", http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	bundle := filepath.Join(dir, "bundle.tgz")
	if err := saveBody(bundle, http.MaxBytesReader(w, r.Body, 4*maxObject)); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	paths, err := archive.ExtractTo(bundle, dir)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	imported := 0
	for _, p := range paths {
		if err := s.importFile(p); err != nil {
			s.logf("import %s: %v", p, err)
			continue
		}
		imported++
	}
	writeJSON(w, http.StatusOK, map[string]int{"imported": imported, "skipped": len(paths) - imported})
}

// importFile copies an extracted file into the blob directory, catalogs it
// under its base name and mirrors it.
func (s *Server) importFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	if err := os.WriteFile(s.blobPath(digest), data, 0o644); err != nil {
		return err
	}
	key := filepath.Base(path)
	s.cat.Put(catalog.Entry{Key: key, Digest: digest, Size: int64(len(data))})
	return s.mirrorUploadSafe(context.Background(), key, data)
}

// saveBody writes body to a new file at path.
func saveBody(path string, body io.Reader) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, body)
	return err
}
