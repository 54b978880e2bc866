package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"example.com/dispatch/internal/geo"
	"example.com/dispatch/internal/notify"
	"example.com/dispatch/internal/surge"
	"example.com/dispatch/internal/trip"
)

func (s *Server) handleDrivers(w http.ResponseWriter, r *http.Request) {
	drivers := s.grid.Snapshot()
	avail := 0
	for _, d := range drivers {
		if d.Available {
			avail++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"total":     len(drivers),
		"available": avail,
		"drivers":   drivers,
	})
}

func (s *Server) handleReachable(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&ids); err != nil {
		writeError(w, http.StatusBadRequest, "want a JSON array of driver IDs")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	writeJSON(w, http.StatusOK, map[string][]string{"reachable": s.matcher.Reachable(ctx, ids)})
}

func (s *Server) handleSurge(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.pricer.Snapshot())
}

func (s *Server) handleSurgeOverride(w http.ResponseWriter, r *http.Request) {
	defer func() { logPanic(s.log, "surge override") }()
	var body struct {
		Pos        geo.Point `json:"pos"`
		Multiplier float64   `json:"multiplier"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "bad body")
		return
	}
	if !body.Pos.Valid() {
		writeError(w, http.StatusBadRequest, "bad position")
		return
	}
	s.pricer.SetOverride(s.grid.CellOf(body.Pos), body.Multiplier)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAdminRecompute(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			s.log.Printf("surge recompute panicked: %v", rec)
			writeError(w, http.StatusInternalServerError, "recompute failed")
		}
	}()
	s.pricer.Recompute(time.Now())
	snap := s.pricer.Snapshot()
	go s.broadcastSurge(snap) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusOK, snap)
}

// broadcastSurge tells partners about a manual surge change.
func (s *Server) broadcastSurge(snap surge.Snapshot) {
	data := map[string]any{"cells": len(snap.Cells)}
	max := 1.0
	for _, c := range snap.Cells {
		if c.Multiplier > max {
			max = c.Multiplier
		}
	}
	data["max"] = max
	if err := s.notifier.Publish(notify.Event{Type: "surge.changed", At: snap.Updated, Data: data}); err != nil {
		s.log.Printf("surge broadcast: %v", err)
	}
}

func (s *Server) handleWarmCache(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			s.log.Printf("warm cache panicked: %v", rec)
			writeError(w, http.StatusInternalServerError, "warm failed")
		}
	}()
	var ids []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ids); err != nil {
		writeError(w, http.StatusBadRequest, "want a JSON array of trip IDs")
		return
	}
	go func() {
		defer s.recoverAsync("warm-cache")
		n, err := s.trips.Warm(ids)
		s.log.Printf("warm cache: %d of %d loaded (err=%v)", n, len(ids), err)
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	trips, err := s.trips.LoadAll()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Encoding", "gzip")
	gz := gzip.NewWriter(w)
	defer gz.Close()
	if err := trip.WriteJSONL(gz, trips); err != nil {
		s.log.Printf("export: %v", err)
		return
	}
	if err := gz.Close(); err != nil {
		s.log.Printf("export: %v", err)
	}
}

func (s *Server) handleCachedTrip(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.trips.MustGet(r.PathValue("id")))
}

func (s *Server) handleForceComplete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.auditLogBounded(r, "force-complete", id)
	var body struct {
		Fare int64 `json:"fare_cents"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "bad body")
		return
	}
	err := s.trips.Complete(id, body.Fare, time.Now().UTC())
	switch {
	case errors.Is(err, trip.ErrNotFound):
		writeError(w, http.StatusNotFound, "no such trip")
	case err != nil:
		writeError(w, http.StatusConflict, err.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) handleBulkCancel(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ids); err != nil {
		writeError(w, http.StatusBadRequest, "want a JSON array of trip IDs")
		return
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(map[string]string)
		now    = time.Now().UTC()
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			if err := s.trips.Cancel(id, "support", now); err != nil {
				mu.Lock()
				failed[id] = err.Error()
				mu.Unlock()
				return
			}
			s.matcher.Cancel(id)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	writeJSON(w, http.StatusOK, map[string]any{"requested": len(ids), "failed": failed})
}

func (s *Server) handleEraseRider(w http.ResponseWriter, r *http.Request) {
	riderID := r.PathValue("rider")
	defer s.onErase(riderID) // HAZ defer-nil-func
	trips, err := s.trips.LoadAll()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	n := 0
	for _, t := range trips {
		if t.RiderID != riderID {
			continue
		}
		if err := s.trips.Delete(t.ID); err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		n++
	}
	writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
}

func (s *Server) handleTopDrivers(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 {
		n = 10
	}
	writeJSON(w, http.StatusOK, s.ratings.top(n, 5))
}

func (s *Server) handleDriverRating(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("driver")
	writeJSON(w, http.StatusOK, rated{DriverID: id, Average: s.ratings.average(id), Count: s.ratings.count(id)})
}

func (s *Server) handleImportOverrides(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("overrides")
	defer file.Close() // HAZ defer-before-error-check
	if err != nil {
		writeError(w, http.StatusBadRequest, "missing overrides file")
		return
	}
	n, err := s.pricer.ImportOverrides(file)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"overrides": n})
}
