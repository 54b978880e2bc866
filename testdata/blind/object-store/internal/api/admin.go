package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"example.com/objstore/internal/gc"
	"example.com/objstore/internal/notify"
	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/replication"
	"example.com/objstore/internal/scrub"
	"example.com/objstore/internal/store"
)

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := s.metrics.Snapshot().WriteText(w); err != nil {
		s.logger.Printf("api: stats: %v", err)
	}
}

func (s *Server) handleResetStats(w http.ResponseWriter, r *http.Request) {
	s.metrics.Reset()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleReplicaStatus(w http.ResponseWriter, r *http.Request) {
	if s.repl == nil {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	writeJSON(w, http.StatusOK, s.repl.Status())
}

// handleChecksum re-hashes an object on demand:
// GET /admin/checksum?bucket=&key=. A client that gives up does not leave
// the hashing goroutine behind: the channel has room for its one result.
func (s *Server) handleChecksum(w http.ResponseWriter, r *http.Request) {
	bucket, key := r.URL.Query().Get("bucket"), r.URL.Query().Get("key")
	info, err := s.store.StatObject(bucket, key)
	if err != nil {
		writeError(w, err)
		return
	}
	type result struct {
		sum string
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer s.store.Pin(bucket, key)()
		sum, err := store.HashFile(s.store.ObjectPath(bucket, key))
		done <- result{sum: sum, err: err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			writeError(w, res.err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"bucket": bucket, "key": key, "sha256": res.sum, "matches": res.sum == info.SHA256,
		})
	case <-r.Context().Done():
		s.logger.Printf("api: checksum of %s/%s abandoned by client", bucket, key)
	}
}

// handleRepair repairs the listed objects now: POST /admin/repair with a
// JSON array of {"bucket","key"}.
func (s *Server) handleRepair(w http.ResponseWriter, r *http.Request) {
	if s.scrubber == nil {
		http.Error(w, "scrubber disabled", http.StatusNotImplemented)
		return
	}
	var refs []scrub.ObjectRef
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&refs); err != nil {
		writeError(w, badRequest("bad object list: "+err.Error()))
		return
	}
	n, errs := s.scrubber.RepairBatch(r.Context(), refs)
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	writeJSON(w, http.StatusOK, map[string]any{"repaired": n, "errors": msgs})
}

// handleSweep runs a GC sweep now.
func (s *Server) handleSweep(w http.ResponseWriter, r *http.Request) {
	if s.collector == nil {
		http.Error(w, "collector disabled", http.StatusNotImplemented)
		return
	}
	if r.URL.Query().Get("async") == "true" {
		if !s.collector.SweepAsync(r.Context()) {
			http.Error(w, gc.ErrSweepInProgress.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}
	n, err := s.collector.Sweep(r.Context())
	if errors.Is(err, gc.ErrSweepInProgress) {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"removed": n})
}

// handleExport writes the bucket manifest into the export directory.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	bucket := r.PathValue("bucket")
	defer obs.Trace(s.logger, "export "+bucket)()
	name := bucket + "-" + time.Now().UTC().Format("20060102T150405") + ".ndjson.gz"
	dst := filepath.Join(s.exportDir, name)
	if err := s.store.ExportManifest(bucket, dst); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"path": dst})
}

// handleBucketPolicy replaces a bucket's policy with the JSON object in the
// body.
func (s *Server) handleBucketPolicy(w http.ResponseWriter, r *http.Request) {
	var policy map[string]string
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&policy); err != nil {
		writeError(w, badRequest("bad policy: "+err.Error()))
		return
	}
	if err := s.store.Buckets().SetPolicy(r.PathValue("bucket"), policy); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleBucketQuota(w http.ResponseWriter, r *http.Request) {
	limit, used, err := s.store.Buckets().Quota(r.PathValue("bucket"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"quota_bytes": limit, "used_bytes": used})
}

// handleManifest streams a bucket's inventory as gzip JSON lines; peers
// fetch it for anti-entropy.
func (s *Server) handleManifest(w http.ResponseWriter, r *http.Request) {
	infos, err := s.store.ListObjects(r.PathValue("bucket"), "", 0)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	for _, info := range infos {
		if err := enc.Encode(info); err != nil {
			s.logger.Printf("api: manifest of %s: %v", r.PathValue("bucket"), err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.logger.Printf("api: manifest of %s: %v", r.PathValue("bucket"), err)
	}
}

// handleBulkDelete deletes a JSON list of keys from a bucket. The deletes
// run concurrently; the answer reports how many were accepted.
func (s *Server) handleBulkDelete(w http.ResponseWriter, r *http.Request) {
	bucket := r.PathValue("bucket")
	var keys []string
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<20)).Decode(&keys); err != nil {
		writeError(w, badRequest("bad key list: "+err.Error()))
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.store.DeleteObject(bucket, key); err != nil {
				s.logger.Printf("api: bulk delete %s/%s: %v", bucket, key, err)
			}
		}()
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"accepted": len(keys)})
}

// handleReplicateNow pushes one object to every peer now:
// POST /admin/replicate?bucket=&key=[&wait=true].
func (s *Server) handleReplicateNow(w http.ResponseWriter, r *http.Request) {
	if s.repl == nil {
		http.Error(w, "replication disabled", http.StatusNotImplemented)
		return
	}
	q := r.URL.Query()
	t := replication.Task{Bucket: q.Get("bucket"), Key: q.Get("key")}
	errc := make(chan error)
	go func() {
		errc <- s.repl.Replicate(context.WithoutCancel(r.Context()), t) // HAZ goroutine-blocked-send
	}()
	if q.Get("wait") != "true" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err := <-errc; err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleTestHook sends a synthetic event to the hooks of a bucket and
// reports what they answered.
func (s *Server) handleTestHook(w http.ResponseWriter, r *http.Request) {
	defer obs.Trace(s.logger, "test hook "+r.PathValue("bucket")) // HAZ defer-func-result-not-called
	if s.notifier == nil {
		http.Error(w, "notifications disabled", http.StatusNotImplemented)
		return
	}
	ev := notify.Event{
		ID:     fmt.Sprintf("test-%d", time.Now().UnixNano()),
		Type:   "test",
		Bucket: r.PathValue("bucket"),
		Time:   time.Now().UTC(),
	}
	errs := s.notifier.DeliverNow(r.Context(), ev)
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	writeJSON(w, http.StatusOK, map[string]any{"event": ev.ID, "errors": msgs})
}
