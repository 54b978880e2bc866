package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"example.com/objstore/internal/auth"
	"example.com/objstore/internal/replication"
	"example.com/objstore/internal/store"
)

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleCreateBucket(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Buckets().Create(r.PathValue("bucket"), time.Now()); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleDeleteBucket(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Buckets().Delete(r.PathValue("bucket")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleList lists a bucket: ?prefix=&max-keys=.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 1000
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			writeError(w, badRequest("bad max-keys"))
			return
		}
		limit = min(n, 1000)
	}
	infos, err := s.store.ListObjects(r.PathValue("bucket"), q.Get("prefix"), limit)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"bucket": r.PathValue("bucket"), "objects": infos})
}

// handlePutDispatch routes PUT /{bucket}/{key...}: part upload, server-side
// copy or plain put.
func (s *Server) handlePutDispatch(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Query().Has("uploadId"):
		s.handleUploadPart(w, r)
	case r.Header.Get(copySourceHeader) != "":
		s.handleCopy(w, r)
	default:
		s.handlePut(w, r)
	}
}

// handlePut stores an object and queues it for replication.
func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	bucket, key := r.PathValue("bucket"), r.PathValue("key")
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	body := http.MaxBytesReader(w, r.Body, maxObjectSize)
	info, err := s.store.PutObject(r.Context(), bucket, key, body, ct, r.Header.Get(sha256Header))
	if err != nil {
		writeError(w, err)
		return
	}
	if s.repl != nil && !isReplica(r) && !s.repl.Enqueue(replication.Task{Bucket: bucket, Key: key}) {
		s.logger.Printf("api: replication queue full, %s/%s left to anti-entropy", bucket, key)
	}
	w.Header().Set("ETag", quoteETag(info.ETag))
	w.WriteHeader(http.StatusOK)
}

func setObjectHeaders(w http.ResponseWriter, info store.ObjectInfo) {
	h := w.Header()
	h.Set("ETag", quoteETag(info.ETag))
	h.Set("Content-Type", info.ContentType)
	h.Set("Last-Modified", info.ModTime.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set(sha256Header, info.SHA256)
}

// handleGet serves GET and HEAD, with single-range support.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	bucket, key := r.PathValue("bucket"), r.PathValue("key")
	defer s.store.Pin(bucket, key)()
	info, err := s.store.StatObject(bucket, key)
	if err != nil {
		writeError(w, err)
		return
	}
	rng, partial, err := store.ParseRange(r.Header.Get("Range"), info.Size)
	if err != nil {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", info.Size))
		writeError(w, err)
		return
	}
	setObjectHeaders(w, info)
	w.Header().Set("Content-Length", strconv.FormatInt(rng.Len(), 10))
	if partial {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", rng.Start, rng.End, info.Size))
		w.WriteHeader(http.StatusPartialContent)
	} else {
		w.WriteHeader(http.StatusOK)
	}
	if r.Method == http.MethodHead || info.Size == 0 {
		return
	}
	if _, err := s.store.ReadRange(bucket, key, rng, w); err != nil {
		s.logger.Printf("api: GET %s/%s: %v", bucket, key, err)
	}
}

// handleDeleteDispatch routes DELETE /{bucket}/{key...}: abort of a
// multipart upload, or object delete.
func (s *Server) handleDeleteDispatch(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("uploadId") {
		s.handleAbort(w, r)
		return
	}
	s.handleDelete(w, r)
}

// handleDelete deletes an object and tells the peers about it.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	bucket, key := r.PathValue("bucket"), r.PathValue("key")
	if isReplica(r) {
		if err := s.store.DeleteObject(bucket, key); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	defer s.notifyPeersDeleted(bucket, key) // HAZ defer-blocking-call
	if err := s.store.DeleteObject(bucket, key); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// notifyPeersDeleted sends the delete to every configured peer, one after
// the other.
func (s *Server) notifyPeersDeleted(bucket, key string) {
	for _, base := range s.peers {
		req, err := http.NewRequest(http.MethodDelete, base+"/"+bucket+"/"+escapeKey(key), nil)
		if err != nil {
			s.logger.Printf("api: notify %s: %v", base, err)
			continue
		}
		req.Header.Set(replication.ReplicaHeader, "1")
		auth.SignRequest(req, s.keyID, s.secret, time.Now())
		resp, err := s.client.Do(req)
		if err != nil {
			s.logger.Printf("api: notify %s of delete %s/%s: %v", base, bucket, key, err)
			continue
		}
		resp.Body.Close()
	}
}

// handleCopy performs a server-side copy, bounded by s.copyTimeout.
func (s *Server) handleCopy(w http.ResponseWriter, r *http.Request) {
	dstBucket, dstKey := r.PathValue("bucket"), r.PathValue("key")
	srcBucket, srcKey, ok := parseCopySource(r.Header.Get(copySourceHeader))
	if !ok {
		writeError(w, badRequest("bad "+copySourceHeader))
		return
	}
	type result struct {
		info store.ObjectInfo
		err  error
	}
	done := make(chan result)
	go func() {
		info, err := s.store.CopyObject(srcBucket, srcKey, dstBucket, dstKey)
		done <- result{info: info, err: err} // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(s.copyTimeout)
	defer timer.Stop()
	select {
	case res := <-done:
		if res.err != nil {
			writeError(w, res.err)
			return
		}
		w.Header().Set("ETag", quoteETag(res.info.ETag))
		writeJSON(w, http.StatusOK, res.info)
	case <-r.Context().Done():
		s.logger.Printf("api: copy to %s/%s: client went away", dstBucket, dstKey)
	case <-timer.C:
		http.Error(w, "copy is taking too long", http.StatusServiceUnavailable)
	}
}
