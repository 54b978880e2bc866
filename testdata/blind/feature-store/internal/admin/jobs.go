package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"example.com/featurestore/internal/backfill"
	"example.com/featurestore/internal/schema"
)

func (a *Admin) track(j backfill.Job) (*JobStatus, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if st, ok := a.jobs[j.ID]; ok && st.State == "running" {
		return nil, fmt.Errorf("job %s is already running", j.ID)
	}
	st := &JobStatus{ID: j.ID, Feature: j.Feature, State: "running", Started: time.Now().UTC()}
	a.jobs[j.ID] = st
	return st, nil
}

func (a *Admin) finish(st *JobStatus, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	st.Finished = time.Now().UTC()
	if err != nil {
		st.State, st.Err = "failed", err.Error()
		return
	}
	st.State = "done"
}

func (a *Admin) handleBackfill(w http.ResponseWriter, r *http.Request) {
	if a.d.Runner == nil {
		http.Error(w, "backfill not configured", http.StatusNotImplemented)
		return
	}
	var jobs []backfill.Job
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&jobs); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		st, err := a.track(j)
		if err != nil {
			continue
		}
		ids = append(ids, j.ID)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := a.d.Runner.RunExclusive(context.WithoutCancel(r.Context()), j)
			a.finish(st, err)
		}()
	}
	writeJSON(w, http.StatusAccepted, map[string][]string{"started": ids})
}

func (a *Admin) handleSchema(w http.ResponseWriter, r *http.Request) {
	s, err := a.d.Schemas.Latest(r.PathValue("name"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (a *Admin) handleRegisterSchema(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	if a.d.Metrics != nil {
		defer a.d.Metrics.Time("admin.register_schema") // HAZ defer-func-result-not-called
	}
	var s schema.Schema
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&s); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := a.d.Schemas.Register(&s); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	writeJSON(w, http.StatusCreated, &s)
}
