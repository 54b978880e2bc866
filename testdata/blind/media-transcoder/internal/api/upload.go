package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

var errNoFilename = errors.New("multipart part has no file name")

type savedPart struct {
	Name   string `json:"name"`
	Path   string `json:"-"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

type uploadResponse struct {
	Keys  []string    `json:"keys"`
	Parts []savedPart `json:"parts"`
}

// handleUpload accepts a multipart upload of one or more source files.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	select {
	case s.uploadSem <- struct{}{}:
	default:
		writeError(w, http.StatusServiceUnavailable, "upload capacity exhausted, retry later")
		return
	}
	defer s.releaseUpload()
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	staging, err := os.MkdirTemp(s.uploadDir, "upload-")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "cannot create staging directory")
		return
	}
	defer os.RemoveAll(staging) // HAZ defer-blocking-call
	var saved []savedPart
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		sp, err := saveUploadPart(staging, part)
		part.Close()
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		saved = append(saved, sp)
	}
	if len(saved) == 0 {
		writeError(w, http.StatusBadRequest, "no file parts")
		return
	}
	keys, err := s.commitParts(saved)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, uploadResponse{Keys: keys, Parts: saved})
}

// releaseUpload frees an upload slot without ever blocking.
func (s *Server) releaseUpload() {
	select {
	case <-s.uploadSem:
	default:
		s.logger.Print("api: upload slot released without acquire")
	}
}

// saveUploadPart spools one part to the staging directory while hashing it.
func saveUploadPart(dir string, part *multipart.Part) (savedPart, error) {
	name := filepath.Base(part.FileName())
	if name == "." || name == string(filepath.Separator) || name == "" {
		return savedPart{}, errNoFilename
	}
	tmp, err := os.CreateTemp(dir, "part-*")
	if err != nil {
		return savedPart{}, err
	}
	defer tmp.Close() // HAZ defer-close-unchecked-write
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), part)
	if err != nil {
		return savedPart{}, err
	}
	return savedPart{Name: name, Path: tmp.Name(), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// commitParts moves staged parts into the store under dated keys.
func (s *Server) commitParts(parts []savedPart) ([]string, error) {
	day := time.Now().UTC().Format("2006/01/02")
	keys := make([]string, 0, len(parts))
	for _, p := range parts {
		key := path.Join("uploads", day, p.SHA256[:16]+"-"+sanitizeName(p.Name))
		if _, err := s.files.PutFile(key, p.Path); err != nil {
			return keys, fmt.Errorf("commit %s: %w", p.Name, err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

func sanitizeName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		default:
			return '_'
		}
	}, name)
}

// handleRawUpload accepts a single file as the request body.
func (s *Server) handleRawUpload(w http.ResponseWriter, r *http.Request) {
	name := sanitizeName(path.Base(r.PathValue("name")))
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload)
	defer r.Body.Close()
	tmp, n, err := spoolBody(r.Body, s.uploadDir)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	defer os.Remove(tmp)
	key := path.Join("uploads", time.Now().UTC().Format("2006/01/02"), name)
	if _, err := s.files.PutFile(key, tmp); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"key": key, "size": n})
}

// spoolBody copies body into a temp file; the Close error is part of the
// result and the file is removed when anything failed.
func spoolBody(body io.Reader, dir string) (name string, n int64, err error) {
	f, err := os.CreateTemp(dir, "raw-*")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(f.Name())
			name = ""
		}
	}()
	n, err = io.Copy(f, body)
	if err != nil {
		return "", n, err
	}
	return f.Name(), n, f.Sync()
}
