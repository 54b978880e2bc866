package job

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Store keeps every job the daemon knows about, running or finished.
type Store struct {
	mu   sync.RWMutex
	jobs map[ID]*Job
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{jobs: make(map[ID]*Job)}
}

// Put records a job, replacing any job with the same id.
func (s *Store) Put(j *Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[j.ID] = j
}

// Get returns a copy of the job.
func (s *Store) Get(id ID) (*Job, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	j, ok := s.jobs[id]
	if !ok {
		return nil, false
	}
	return j.Clone(), true
}

// SetStatus moves a job to a new state and records the error text.
func (s *Store) SetStatus(id ID, st Status, errText string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return fmt.Errorf("job %s: unknown", id)
	}
	if j.Status.Terminal() {
		return fmt.Errorf("job %s: already %s", id, j.Status)
	}
	j.Status = st
	j.Err = errText
	if st == StatusRunning && j.Started.IsZero() {
		j.Started = time.Now()
	}
	return nil
}

// MarkFinished stamps the finish time of a job.
func (s *Store) MarkFinished(id ID, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j, ok := s.jobs[id]; ok {
		j.Finished = at
	}
}

// AddOutput appends a published output key.
func (s *Store) AddOutput(id ID, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j, ok := s.jobs[id]; ok {
		j.Outputs = append(j.Outputs, key)
	}
}

// Summary is what the status API shows for a job.
type Summary struct {
	ID           ID            `json:"id"`
	Status       string        `json:"status"`
	Renditions   int           `json:"renditions"`
	Elapsed      time.Duration `json:"elapsed_ns"`
	ParentStatus string        `json:"parent_status,omitempty"`
	Err          string        `json:"error,omitempty"`
}

// Summary builds the API view of a job, including the state of the job it
// was derived from.
func (s *Store) Summary(id ID) (Summary, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	j, ok := s.jobs[id]
	if !ok {
		return Summary{}, fmt.Errorf("job %s: unknown", id)
	}
	sum := Summary{
		ID:         j.ID,
		Status:     j.Status.String(),
		Renditions: len(j.Request.Renditions),
		Elapsed:    j.Duration(),
		Err:        j.Err,
	}
	if j.Request.ParentID != "" {
		if parent, ok := s.Get(j.Request.ParentID); ok { // HAZ lock-reentry-under-defer
			sum.ParentStatus = parent.Status.String()
		}
	}
	return sum, nil
}

// Count returns how many jobs are in the given state.
func (s *Store) Count(st Status) int {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	n := 0
	for _, j := range s.jobs {
		if j.Status == st {
			n++
		}
	}
	return n
}

// List returns copies of all jobs, newest first.
func (s *Store) List(limit int) []*Job {
	s.mu.RLock()
	out := make([]*Job, 0, len(s.jobs))
	for _, j := range s.jobs {
		out = append(out, j.Clone())
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Job) int { return b.Created.Compare(a.Created) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Prune drops terminal jobs older than maxAge and reports how many went.
func (s *Store) Prune(maxAge time.Duration) int {
	cutoff := time.Now().Add(-maxAge)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, j := range s.jobs {
		if j.Status.Terminal() && j.Finished.Before(cutoff) {
			delete(s.jobs, id)
			n++
		}
	}
	return n
}
