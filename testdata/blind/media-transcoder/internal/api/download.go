package api

import (
	"archive/zip"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"path/filepath"

	"example.com/mediatranscoder/internal/job"
	"example.com/mediatranscoder/internal/storage"
)

// handleDownload serves a stored output with range support.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f, err := s.files.Open(key)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, storage.ErrBadKey) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", contentTypeFor(key))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, path.Base(key), st.ModTime(), f)
}

func contentTypeFor(key string) string {
	switch ext := filepath.Ext(key); ext {
	case ".m3u8":
		return "application/vnd.apple.mpegurl"
	case ".ts":
		return "video/mp2t"
	case ".mp4", ".m4s":
		return "video/mp4"
	case ".vtt":
		return "text/vtt"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// handleBundle streams all outputs of a job as a zip archive.
func (s *Server) handleBundle(w http.ResponseWriter, r *http.Request) {
	id := job.ID(r.PathValue("id"))
	j, ok := s.store.Get(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if j.Status != job.StatusSucceeded {
		writeError(w, http.StatusConflict, "job is "+j.Status.String())
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+string(id)+`.zip"`)
	zw := zip.NewWriter(w)
	for _, key := range j.Outputs {
		if err := s.addToZip(zw, key); err != nil {
			s.logger.Printf("bundle %s: %s: %v", id, key, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.logger.Printf("bundle %s: %v", id, err)
	}
}

func (s *Server) addToZip(zw *zip.Writer, key string) error {
	f, err := s.files.Open(key)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := zip.FileInfoHeader(st)
	if err != nil {
		return err
	}
	hdr.Name = path.Base(key)
	hdr.Method = zip.Store // media is already compressed
	dst, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, f)
	return err
}
