package admin

import (
	"compress/gzip"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Fixtures manages the canned upstream responses that mockupstream serves,
// so that QA can change them through the admin API.
type Fixtures struct {
	dir    string
	logger *log.Logger
}

// NewFixtures returns a fixture store rooted at dir.
func NewFixtures(dir string, logger *log.Logger) *Fixtures {
	return &Fixtures{dir: dir, logger: logger}
}

// Routes registers the fixture endpoints on mux.
func (fx *Fixtures) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /fixtures/{name}", fx.handleGet)
	mux.HandleFunc("PUT /fixtures/{name}", fx.handlePut)
	mux.HandleFunc("POST /fixtures", fx.handleUpload)
	mux.HandleFunc("GET /fixtures/{name}/size", fx.handleSize)
}

// path maps a fixture name to its file, refusing names that escape dir.
func (fx *Fixtures) path(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return "", errors.New("invalid fixture name")
	}
	return filepath.Join(fx.dir, name+".json"), nil
}

// open returns the fixture's content, transparently decompressing fixtures
// stored as name.json.gz.
func (fx *Fixtures) open(name string) (io.ReadCloser, error) {
	p, err := fx.path(name)
	if err != nil {
		return nil, err
	}
	if f, err := os.Open(p); err == nil {
		return f, nil
	}
	f, err := os.Open(p + ".gz")
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, f}, nil
}

// handleGet answers GET /fixtures/{name}.
func (fx *Fixtures) handleGet(w http.ResponseWriter, r *http.Request) {
	rc, err := fx.open(r.PathValue("name"))
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, "no such fixture", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.Copy(w, rc)
}

// handleSize answers GET /fixtures/{name}/size.
func (fx *Fixtures) handleSize(w http.ResponseWriter, r *http.Request) {
	p, err := fx.path(r.PathValue("name"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f, err := os.Open(p)
	if err != nil {
		http.Error(w, "no such fixture", http.StatusNotFound)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"bytes": fi.Size()})
}

// handlePut answers PUT /fixtures/{name} with the new body.
func (fx *Fixtures) handlePut(w http.ResponseWriter, r *http.Request) {
	p, err := fx.path(r.PathValue("name"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f, err := os.Create(p)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := io.Copy(f, http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleUpload answers POST /fixtures with a multipart form of fixture files.
func (fx *Fixtures) handleUpload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	saved := 0
	for _, fh := range r.MultipartForm.File["fixture"] {
		src, err := fh.Open()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer src.Close() // HAZ defer-in-loop
		p, err := fx.path(strings.TrimSuffix(fh.Filename, ".json"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := fx.save(p, src); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		saved++
	}
	writeJSON(w, http.StatusOK, map[string]int{"saved": saved})
}

// save writes src to p and reports a failed close.
func (fx *Fixtures) save(p string, src io.Reader) (err error) {
	dst, err := os.Create(p)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, dst.Close()) }()
	_, err = io.Copy(dst, src)
	return err
}
