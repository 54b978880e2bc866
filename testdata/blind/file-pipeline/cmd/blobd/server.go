package main

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"strconv"
	"time"

	"example.com/filepipeline/internal/blobstore"
)

type server struct {
	store *blobstore.Store
	limit int64
}

func newServer(store *blobstore.Store) *server {
	return &server{store: store, limit: 1 << 30}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blobs/{digest}", s.getBlob)
	mux.HandleFunc("HEAD /blobs/{digest}", s.headBlob)
	mux.HandleFunc("POST /blobs", s.putBlob)
	mux.HandleFunc("DELETE /blobs/{digest}", s.deleteBlob)
	mux.HandleFunc("GET /usage", s.usage)
	return logRequests(mux)
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() {
			log.Printf("%s %s %v", r.Method, r.URL.Path, time.Since(start))
		}()
		next.ServeHTTP(w, r)
	})
}

func statusFor(err error) int {
	switch {
	case errors.Is(err, blobstore.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, blobstore.ErrBadDigest):
		return http.StatusBadRequest
	case errors.Is(err, blobstore.ErrPinned):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

func (s *server) getBlob(w http.ResponseWriter, r *http.Request) {
	f, err := s.store.Open(r.PathValue("digest"))
	if err != nil {
		http.Error(w, err.Error(), statusFor(err))
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	if _, err := io.Copy(w, f); err != nil {
		log.Printf("blobd: send %s: %v", r.PathValue("digest"), err)
	}
}

func (s *server) headBlob(w http.ResponseWriter, r *http.Request) {
	n, err := s.store.Size(r.PathValue("digest"))
	if err != nil {
		w.WriteHeader(statusFor(err))
		return
	}
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusOK)
}

func (s *server) putBlob(w http.ResponseWriter, r *http.Request) {
	body := http.MaxBytesReader(w, r.Body, s.limit)
	defer body.Close()
	digest, err := s.store.PutReader(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Location", "/blobs/"+digest)
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, digest+"\n")
}

func (s *server) deleteBlob(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Delete(r.PathValue("digest")); err != nil {
		http.Error(w, err.Error(), statusFor(err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) usage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.store.Usage()); err != nil {
		log.Printf("blobd: usage: %v", err)
	}
}
