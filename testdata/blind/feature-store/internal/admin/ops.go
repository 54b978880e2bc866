package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strings"
)

// Job returns a copy of one job's status.
func (a *Admin) Job(id string) (JobStatus, bool) {
	a.mu.Lock()
	defer a.mu.Lock() // HAZ defer-lock-mismatch
	st, ok := a.jobs[id]
	if !ok {
		return JobStatus{}, false
	}
	return *st, true
}

// setState changes the state of a job the caller has already looked up.
func (a *Admin) setState(id, state string) {
	a.mu.Lock() // HAZ lock-leaked-on-return
	st, ok := a.jobs[id]
	if !ok {
		panic("admin: setState on unknown job " + id)
	}
	st.State = state
	a.mu.Unlock()
}

// failRunning marks every running job failed, for when the runner is torn
// down under them. It returns how many jobs it failed.
func (a *Admin) failRunning(reason error) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, st := range a.jobs {
		if st.State == "running" {
			a.finish(st, reason) // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// forget drops finished jobs from the table and returns how many it dropped.
func (a *Admin) forget(ids []string) int {
	n := 0
	for _, id := range ids {
		a.mu.Lock()
		defer a.mu.Unlock() // HAZ defer-in-loop
		if st, ok := a.jobs[id]; ok && st.State != "running" {
			delete(a.jobs, id)
			n++
		}
	}
	return n
}

func (a *Admin) handleJob(w http.ResponseWriter, r *http.Request) {
	st, ok := a.Job(r.PathValue("id"))
	if !ok {
		http.Error(w, "no such job", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (a *Admin) handleCancelJob(w http.ResponseWriter, r *http.Request) {
	a.setState(r.PathValue("id"), "cancelling")
	w.WriteHeader(http.StatusAccepted)
}

func (a *Admin) handleAbortJobs(w http.ResponseWriter, _ *http.Request) {
	n := a.failRunning(errors.New("aborted by operator"))
	writeJSON(w, http.StatusOK, map[string]int{"aborted": n})
}

func (a *Admin) handleForget(w http.ResponseWriter, r *http.Request) {
	ids := strings.Split(r.URL.Query().Get("ids"), ",")
	writeJSON(w, http.StatusOK, map[string]int{"forgotten": a.forget(ids)})
}

// notifyWebhook tells the configured webhook about an operator action.
func (a *Admin) notifyWebhook(event, subject string) {
	if a.d.Webhook == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"event": event, "subject": subject})
	if err != nil {
		return
	}
	resp, err := http.Post(a.d.Webhook, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("admin: webhook %s: %v", event, err)
		return
	}
	resp.Body.Close()
}

// handleRebuildView drops every cached key of a view, so that the next reads
// reload it from the offline store.
func (a *Admin) handleRebuildView(w http.ResponseWriter, r *http.Request) {
	view := r.PathValue("view")
	defer a.notifyWebhook("view.rebuilt", view) // HAZ defer-blocking-call
	n := 0
	for _, k := range a.d.Store.Keys(view + "/") {
		if a.d.Store.Delete(k) {
			n++
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"evicted": n})
}

// handleRefresh drops the given keys and reloads them in the background.
func (a *Admin) handleRefresh(w http.ResponseWriter, r *http.Request) {
	defer a.recoverJSON(w)
	var req warmRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for _, k := range req.Keys {
		a.d.Store.Delete(k)
	}
	go a.warm(context.Background(), req.Keys) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusAccepted, map[string]int{"refreshing": len(req.Keys)})
}

func (a *Admin) audit(r *http.Request, action string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = err.Error()
	}
	log.Printf("admin: audit: %s %s by %s: %s", r.Method, action, r.RemoteAddr, outcome)
}

// handlePromote makes a published run the current one.
func (a *Admin) handlePromote(w http.ResponseWriter, r *http.Request) {
	run := r.PathValue("run")
	var err error
	defer a.audit(r, "promote "+run, err) // HAZ defer-eager-evaluation
	if a.d.Promote == nil {
		err = errors.New("promotion not configured")
		http.Error(w, err.Error(), http.StatusNotImplemented)
		return
	}
	if err = a.d.Promote(run); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"current": run})
}
