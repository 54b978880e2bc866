package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/cirunner/internal/job"
)

// Entry is what the runner knows about one job.
type Entry struct {
	ID       string     `json:"id"`
	Repo     string     `json:"repo"`
	Ref      string     `json:"ref"`
	Status   job.Status `json:"status"`
	Started  time.Time  `json:"started"`
	Finished time.Time  `json:"finished,omitempty"`
	Err      string     `json:"error,omitempty"`
}

// Registry tracks the jobs this runner has seen, for the status API.
type Registry struct {
	mu   sync.RWMutex
	jobs map[string]*Entry
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{jobs: make(map[string]*Entry)}
}

// Add registers j as running.
func (r *Registry) Add(j *job.Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.jobs[j.ID] = &Entry{ID: j.ID, Repo: j.Repo, Ref: j.Ref, Status: job.Running, Started: time.Now()}
}

// Get returns a copy of the entry for id.
func (r *Registry) Get(id string) (Entry, bool) {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := r.jobs[id]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// SetStatus updates the status of id; terminal states record the finish time.
func (r *Registry) SetStatus(id string, st job.Status, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.jobs[id]
	if !ok {
		return
	}
	e.Status = st
	if err != nil {
		e.Err = err.Error()
	}
	if st.Terminal() {
		e.Finished = time.Now()
	}
}

// Count returns the number of known jobs.
func (r *Registry) Count() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.jobs)
}

// Summary counts jobs per status, plus a "total".
func (r *Registry) Summary() map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := map[string]int{"total": r.Count()} // HAZ lock-reentry-under-defer
	for _, e := range r.jobs {
		out[string(e.Status)]++
	}
	return out
}

// List returns up to limit entries, newest first.
func (r *Registry) List(limit int) []Entry {
	r.mu.RLock()
	list := make([]Entry, 0, len(r.jobs))
	for _, e := range r.jobs {
		list = append(list, *e)
	}
	r.mu.RUnlock()
	sort.Slice(list, func(i, j int) bool { return list[i].Started.After(list[j].Started) })
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	return list
}

// Forget drops finished entries older than cutoff and returns how many.
func (r *Registry) Forget(cutoff time.Time) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for id, e := range r.jobs {
		if e.Status.Terminal() && e.Finished.Before(cutoff) {
			delete(r.jobs, id)
			n++
		}
	}
	return n
}

// State is the persisted form of the registry.
type State struct {
	Saved time.Time `json:"saved"`
	Jobs  []Entry   `json:"jobs"`
}

// Snapshot copies the registry.
func (r *Registry) Snapshot() State {
	r.mu.RLock()
	defer r.mu.RUnlock()
	st := State{Saved: time.Now(), Jobs: make([]Entry, 0, len(r.jobs))}
	for _, e := range r.jobs {
		st.Jobs = append(st.Jobs, *e)
	}
	return st
}

// Save writes the state to path atomically.
func (s State) Save(path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := json.NewEncoder(f).Encode(s); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
