package api

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"example.com/fah20/internal/web"
)

// exportReports streams the requested report files as one zip archive.
func (a *API) exportReports(w http.ResponseWriter, r *http.Request) {
	names := r.URL.Query()["name"]
	if len(names) == 0 {
		web.Error(w, http.StatusBadRequest, "at least one name is required")
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="reports.zip"`)
	zw := zip.NewWriter(w)
	for _, name := range names {
		base := filepath.Base(name)
		f, err := os.Open(filepath.Join(a.dataDir, base))
		if err != nil {
			a.logger.Printf("export: skipping %s: %v", base, err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		fw, err := zw.Create(base)
		if err != nil {
			a.logger.Printf("export: %v", err)
			return
		}
		if _, err := io.Copy(fw, f); err != nil {
			a.logger.Printf("export: copying %s: %v", base, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		a.logger.Printf("export: finishing archive: %v", err)
	}
}

// exportUsersCSV writes every user as CSV; the writer is flushed and its
// error checked explicitly.
func (a *API) exportUsersCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv")
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "name", "email"}); err != nil {
		a.logger.Printf("export csv: %v", err)
		return
	}
	for _, u := range a.users.All() {
		if err := cw.Write([]string{u.ID, u.Name, u.Email}); err != nil {
			a.logger.Printf("export csv: %v", err)
			return
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		a.logger.Printf("export csv: flush: %v", err)
	}
}

// reportChecksums returns the SHA-256 of each report file, opening and
// closing one file per iteration.
func (a *API) reportChecksums(w http.ResponseWriter, r *http.Request) {
	entries, err := os.ReadDir(a.dataDir)
	if err != nil {
		web.Error(w, http.StatusInternalServerError, "listing reports")
		return
	}
	sums := make(map[string]string, len(entries))
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		func() {
			f, err := os.Open(filepath.Join(a.dataDir, e.Name()))
			if err != nil {
				return
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return
			}
			sums[e.Name()] = hex.EncodeToString(h.Sum(nil))
		}()
	}
	_ = web.WriteJSON(w, http.StatusOK, sums)
}

// importBundle unpacks a zip of reports previously produced by
// exportReports from the data directory's inbox.
func (a *API) importBundle(w http.ResponseWriter, r *http.Request) {
	path := filepath.Join(a.dataDir, "inbox", filepath.Base(r.PathValue("bundle")))
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		web.Error(w, http.StatusNotFound, "no such bundle")
		return
	}
	imported := 0
	for _, zf := range zr.File {
		if err := a.importOne(zf); err != nil {
			a.logger.Printf("import: %s: %v", zf.Name, err)
			continue
		}
		imported++
	}
	_ = web.WriteJSON(w, http.StatusOK, map[string]int{"imported": imported})
}

// importOne copies one archive member into the data directory.
func (a *API) importOne(zf *zip.File) (err error) {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.Create(filepath.Join(a.dataDir, filepath.Base(zf.Name)))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, io.LimitReader(rc, 64<<20))
	return err
}
