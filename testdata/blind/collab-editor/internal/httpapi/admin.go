package httpapi

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"example.com/collab/internal/doc"
)

// maintenanceMode reads (GET) or sets (PUT) the maintenance flag. While it is
// on, document writes are refused.
func (a *API) maintenanceMode(w http.ResponseWriter, r *http.Request) {
	a.maintMu.Lock() // HAZ lock-leaked-on-return
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"on": a.maintenance, "reason": a.maintReason})
		return
	case http.MethodPut:
		var body struct {
			On     bool   `json:"on"`
			Reason string `json:"reason"`
		}
		if err := decodeJSON(w, r, &body); err != nil {
			a.maintMu.Unlock()
			writeError(w, http.StatusBadRequest, err)
			return
		}
		a.maintenance, a.maintReason = body.On, body.Reason
	}
	a.maintMu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// inMaintenance reports whether writes are currently refused, and why.
func (a *API) inMaintenance() (bool, string) {
	a.maintMu.Lock()
	defer a.maintMu.Unlock()
	return a.maintenance, a.maintReason
}

// runJob runs an admin job, turning a panic into an error.
func (a *API) runJob(name string, fn func() error) (err error) {
	start := time.Now()
	defer func() {
		func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				a.panics.Add(1)
				err = fmt.Errorf("job %s panicked: %v", name, r)
			}
		}()
		log.Printf("httpapi: job %s finished in %s (err=%v)", name, time.Since(start), err)
	}()
	return fn()
}

// compactAll trims the operation log of every document.
func (a *API) compactAll(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, errors.New("POST only"))
		return
	}
	keep := 1000
	if s := r.URL.Query().Get("keep"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, fmt.Errorf("bad keep %q", s))
			return
		}
		keep = n
	}
	dropped := 0
	err := a.runJob("compact", func() error {
		for _, d := range a.store.Documents() {
			dropped += d.CompactLog(keep)
		}
		return nil
	})
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"dropped": dropped})
}

// exportCSV streams one CSV line per document.
func (a *API) exportCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "title", "version", "runes", "updated"}); err != nil {
		return
	}
	for _, s := range a.store.List() {
		rec := []string{s.ID, s.Title, strconv.FormatUint(s.Version, 10), strconv.Itoa(s.Runes), s.Updated.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		log.Printf("httpapi: export.csv: %v", err)
	}
}

// exportHistoryFile writes the operation history of every document to a CSV
// file in the export directory, for offline analysis.
func (a *API) exportHistoryFile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, errors.New("POST only"))
		return
	}
	path := filepath.Join(a.exportDir, "history-"+time.Now().UTC().Format("20060102T150405")+".csv")
	f, err := os.Create(path)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	rows := 0
	for _, d := range a.store.Documents() {
		for _, op := range d.History(0) {
			cw.Write([]string{
				d.ID, strconv.FormatUint(op.Base, 10), op.Client, op.Kind.String(),
				strconv.Itoa(op.Pos), strconv.Itoa(op.Len), op.Text,
			})
			rows++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"path": path, "rows": rows})
}

// bulkDelete deletes several documents and tells the live side about each.
func (a *API) bulkDelete(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDs []string `json:"ids"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	deleted := make([]string, 0, len(body.IDs))
	for _, id := range body.IDs {
		if err := a.store.Delete(id); err != nil {
			continue
		}
		deleted = append(deleted, id)
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			a.notify("deleted", id)
		}(id)
	}
	writeJSON(w, http.StatusOK, map[string][]string{"deleted": deleted})
}

// snapshotNow writes a snapshot of one document immediately.
func (a *API) snapshotNow(w http.ResponseWriter, r *http.Request) {
	if a.sched == nil {
		writeError(w, http.StatusServiceUnavailable, errors.New("snapshots disabled"))
		return
	}
	id := r.URL.Query().Get("id")
	done := make(chan error)
	go func() {
		done <- a.sched.SnapshotDoc(id) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		if err != nil {
			writeError(w, statusFor(err), err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-r.Context().Done():
		// The client gave up waiting.
	}
}

// allStats returns the summary of every document, bounded by the render
// timeout.
func (a *API) allStats(w http.ResponseWriter, r *http.Request) {
	docs := a.store.Documents()
	ctx, cancel := context.WithTimeout(r.Context(), a.renderTimeout)
	defer cancel()
	res := make(chan doc.Summary, len(docs))
	for _, d := range docs {
		go func(d *doc.Document) {
			res <- d.Summary()
		}(d)
	}
	out := make([]doc.Summary, 0, len(docs))
	for range docs {
		select {
		case s := <-res:
			out = append(out, s)
		case <-ctx.Done():
			writeError(w, http.StatusGatewayTimeout, ctx.Err())
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}
