package staging

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"example.com/filepipeline/internal/archive"
)

// Handler accepts uploads into a Stager over HTTP:
//
//	PUT  /stage/{name}   one file as the request body
//	POST /stage/bundle   a zip of files, staged one by one
//	GET  /stage          the list of staged parts
type Handler struct {
	Stager   *Stager
	MaxBytes int64
}

// ServeHTTP dispatches on method and path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/stage")
	name = strings.TrimPrefix(name, "/")
	switch {
	case r.Method == http.MethodGet && name == "":
		h.list(w, r)
	case r.Method == http.MethodPost && name == "bundle":
		h.receiveBundle(w, r)
	case r.Method == http.MethodPut && name != "":
		h.receiveOne(w, r, name)
	default:
		http.Error(w, "not found", http.StatusNotFound)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (h *Handler) list(w http.ResponseWriter, _ *http.Request) {
	var parts []Part
	for p := range h.Stager.Parts() {
		parts = append(parts, p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"parts": parts, "bytes": h.Stager.TotalSize()})
}

func (h *Handler) receiveOne(w http.ResponseWriter, r *http.Request, name string) {
	body := http.MaxBytesReader(w, r.Body, h.MaxBytes)
	defer body.Close()
	p, err := h.Stager.Stage(name, body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

// receiveBundle accepts a zip of files, unpacks it in a scratch directory
// and stages each file.
func (h *Handler) receiveBundle(w http.ResponseWriter, r *http.Request) {
	scratch, err := os.MkdirTemp(h.Stager.Dir(), "bundle-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(scratch) // HAZ defer-blocking-call
	zipPath := filepath.Join(scratch, "bundle.zip")
	if err := saveBody(zipPath, http.MaxBytesReader(w, r.Body, h.MaxBytes)); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if _, err := archive.ExtractZip(zipPath, filepath.Join(scratch, "files")); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var staged []Part
	for _, e := range mustReadDir(filepath.Join(scratch, "files")) {
		p, err := h.Stager.StageFile(filepath.Join(scratch, "files", e))
		if err != nil {
			http.Error(w, fmt.Sprintf("stage %s: %v", e, err), http.StatusInternalServerError)
			return
		}
		staged = append(staged, p)
	}
	writeJSON(w, http.StatusCreated, staged)
}

// saveBody writes the request body to path.
func saveBody(path string, body io.ReadCloser) (err error) {
	defer body.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(f, body)
	return err
}

func mustReadDir(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names
}

// ScratchHandler serves PUT /scratch/{name}: it keeps the body in a scratch
// file only long enough to validate it, and cleans up in the background so
// the response is not held.
func (h *Handler) ScratchHandler(w http.ResponseWriter, r *http.Request) {
	scratch, err := os.MkdirTemp(h.Stager.Dir(), "scratch-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer func() { go os.RemoveAll(scratch) }()
	path := filepath.Join(scratch, "body")
	if err := saveBody(path, http.MaxBytesReader(w, r.Body, h.MaxBytes)); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ok, err := archive.IsGzip(path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"gzip": ok})
}
