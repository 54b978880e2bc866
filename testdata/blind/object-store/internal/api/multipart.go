package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"example.com/objstore/internal/replication"
	"example.com/objstore/internal/store"
)

// handlePostDispatch routes POST /{bucket}/{key...}: ?uploads starts a
// multipart upload, ?uploadId completes one.
func (s *Server) handlePostDispatch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Has("uploads"):
		s.handleCreateUpload(w, r)
	case q.Has("uploadId"):
		s.handleComplete(w, r)
	default:
		writeError(w, badRequest("POST needs ?uploads or ?uploadId"))
	}
}

func (s *Server) handleCreateUpload(w http.ResponseWriter, r *http.Request) {
	u, err := s.store.CreateUpload(r.PathValue("bucket"), r.PathValue("key"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"bucket": u.Bucket, "key": u.Key, "uploadId": u.ID})
}

// handleUploadPart stores one part: PUT ...?uploadId=&partNumber=.
func (s *Server) handleUploadPart(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.metrics.Observe("api.upload_part", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	q := r.URL.Query()
	n, err := strconv.Atoi(q.Get("partNumber"))
	if err != nil {
		writeError(w, badRequest("bad partNumber"))
		return
	}
	pi, err := s.store.PutPart(r.Context(), q.Get("uploadId"), n, http.MaxBytesReader(w, r.Body, maxObjectSize))
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("ETag", quoteETag(pi.ETag))
	w.WriteHeader(http.StatusOK)
}

// handleComplete assembles the upload: POST ...?uploadId= with a JSON list
// of parts.
func (s *Server) handleComplete(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("uploadId")
	var req struct {
		Parts []store.CompletedPart `json:"parts"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		writeError(w, badRequest("bad part list: "+err.Error()))
		return
	}
	defer s.logger.Printf("api: complete upload %s with %d parts", id, len(req.Parts))
	info, err := s.store.CompleteUpload(id, req.Parts)
	if err != nil {
		writeError(w, err)
		return
	}
	if s.repl != nil {
		s.repl.Enqueue(replication.Task{Bucket: info.Bucket, Key: info.Key})
	}
	w.Header().Set("ETag", quoteETag(info.ETag))
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) handleAbort(w http.ResponseWriter, r *http.Request) {
	if err := s.store.AbortUpload(r.URL.Query().Get("uploadId")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleFormUpload accepts a browser form upload: POST /{bucket} with
// multipart/form-data fields "key" and "file".
func (s *Server) handleFormUpload(w http.ResponseWriter, r *http.Request) {
	bucket := r.PathValue("bucket")
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		writeError(w, badRequest("bad form: "+err.Error()))
		return
	}
	key := r.FormValue("key")
	file, hdr, _ := r.FormFile("file")
	defer file.Close() // HAZ defer-before-error-check
	if key == "" || hdr == nil {
		writeError(w, badRequest(`form needs "key" and "file" fields`))
		return
	}
	ct := hdr.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	info, err := s.store.PutObject(r.Context(), bucket, key, file, ct, "")
	if err != nil {
		writeError(w, err)
		return
	}
	if s.repl != nil {
		s.repl.Enqueue(replication.Task{Bucket: bucket, Key: key})
	}
	w.Header().Set("ETag", quoteETag(info.ETag))
	writeJSON(w, http.StatusCreated, info)
}
