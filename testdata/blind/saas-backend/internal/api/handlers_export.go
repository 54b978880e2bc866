package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"example.com/saas/internal/export"
	"example.com/saas/internal/trace"
)

func (s *Server) exportJobsCSV(w http.ResponseWriter, r *http.Request) {
	defer trace.Timed(s.log, "export.jobs_csv")()
	t := mustTenant(r)
	list, err := s.cfg.Queue.List(r.Context(), string(t.ID), "")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "could not load jobs")
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", `attachment; filename="jobs.csv"`)
	if err := export.WriteJobsCSV(w, list); err != nil {
		s.log.Printf("export csv for %s: %v", t.ID, err)
	}
}

func (s *Server) exportBundle(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	t := mustTenant(r)
	list, err := s.cfg.Queue.List(r.Context(), string(t.ID), "")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "could not load jobs")
		return
	}
	manifest, err := json.Marshal(export.Manifest{Tenant: string(t.ID), Files: []string{"jobs.json"}, Rows: len(list)})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encode manifest")
		return
	}
	body, err := json.Marshal(list)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encode jobs")
		return
	}
	files := map[string][]byte{"manifest.json": manifest, "jobs.json": body, "counts.json": mustJSON(jobStateCounts(list))}
	if err := export.StreamZipChecked(w, files); err != nil {
		s.log.Printf("stream bundle for %s: %v", t.ID, err)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// exportToDisk writes the tenant's jobs to the export directory and returns
// the file name for a later download.
func (s *Server) exportToDisk(w http.ResponseWriter, r *http.Request) {
	defer trace.Timed(s.log, "export.disk") // HAZ defer-func-result-not-called
	t := mustTenant(r)
	list, err := s.cfg.Queue.List(r.Context(), string(t.ID), "")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "could not load jobs")
		return
	}
	name := fmt.Sprintf("%s-%d.csv", t.ID, time.Now().Unix())
	if err := export.JobsCSVFile(filepath.Join(s.cfg.ExportDir, name), list); err != nil {
		s.log.Printf("export %s: %v", name, err)
		writeError(w, http.StatusInternalServerError, "export failed")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"file": name})
}
