package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/registry/internal/archive"
)

// handleUpload stores the request body as a blob. A "Digest" header, when
// present, must match the content.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	defer s.timer("upload") // HAZ defer-func-result-not-called
	s.uploads.Add(1)
	defer s.uploads.Done()

	d, err := s.store.Put(http.MaxBytesReader(w, r.Body, s.maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "blob too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		s.fetchError(w, err)
		return
	}
	if want := r.Header.Get("Digest"); want != "" && want != string(d) {
		http.Error(w, "digest mismatch: content is "+string(d), http.StatusBadRequest)
		return
	}
	w.Header().Set("Location", "/blobs/"+string(d))
	w.WriteHeader(http.StatusCreated)
}

// saveBody writes r to a new file at path.
func saveBody(path string, r io.Reader) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, r)
	return err
}

// handleCheckZip verifies an uploaded module zip before publication: layout,
// limits, a go.mod at the root, and the per-file hashes for the report.
func (s *Server) handleCheckZip(w http.ResponseWriter, r *http.Request) {
	prefix := r.URL.Query().Get("prefix")
	if prefix == "" {
		http.Error(w, "missing prefix (module@version)", http.StatusBadRequest)
		return
	}
	dir, err := os.MkdirTemp("", "checkzip-")
	if err != nil {
		s.fetchError(w, err)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call

	zipPath := filepath.Join(dir, "upload.zip")
	if err := saveBody(zipPath, http.MaxBytesReader(w, r.Body, s.maxBody)); err != nil {
		http.Error(w, "cannot read upload: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := archive.VerifyModuleZip(zipPath, prefix+"/", archive.DefaultLimits); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	src := filepath.Join(dir, "src")
	if err := archive.ExtractZip(zipPath, prefix+"/", src); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	if _, err := os.Stat(filepath.Join(src, "go.mod")); err != nil {
		http.Error(w, "module zip has no go.mod at its root", http.StatusUnprocessableEntity)
		return
	}
	sums, err := archive.HashZipEntries(zipPath)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	writeJSON(w, sums)
}

// handleMirror fetches a module version into the cache on demand and starts
// prefetching its dependencies.
func (s *Server) handleMirror(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	mod, ver := r.FormValue("module"), r.FormValue("version")
	if mod == "" || ver == "" {
		http.Error(w, "module and version are required", http.StatusBadRequest)
		return
	}
	gomod, err := s.proxy.Get(r.Context(), mod+"/@v/"+ver+".mod")
	if err != nil {
		s.fetchError(w, err)
		return
	}
	go s.prefetchDeps(parseRequires(gomod)) // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusAccepted)
}

// prefetchDeps loads the .mod and .info files of each requirement.
func (s *Server) prefetchDeps(reqs []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	paths := make([]string, 0, 2*len(reqs))
	for _, req := range reqs {
		mod, ver, ok := strings.Cut(req, "@")
		if !ok {
			continue
		}
		paths = append(paths, mod+"/@v/"+ver+".mod", mod+"/@v/"+ver+".info")
	}
	if err := s.proxy.Prefetch(ctx, paths); err != nil {
		s.log.Printf("httpapi: prefetch: %v", err)
	}
}

// parseRequires returns "module@version" for each requirement of a go.mod,
// in single-line and block form.
func parseRequires(gomod []byte) []string {
	var reqs []string
	inBlock := false
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		switch {
		case line == "require (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		if f := strings.Fields(line); len(f) == 2 {
			reqs = append(reqs, f[0]+"@"+f[1])
		}
	}
	return reqs
}
