package api

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"example.com/wfengine/internal/scheduler"
)

// TaskAPI serves long-polling, heartbeats and completions to workers.
type TaskAPI struct {
	q    *scheduler.Queue
	ttl  time.Duration
	wait time.Duration
	log  *log.Logger

	mu       sync.Mutex
	leasedBy map[string]string
	lastBeat map[string]time.Time

	subMu sync.Mutex
	subs  []chan string
}

// NewTaskAPI serves tasks from q with leases of ttl.
func NewTaskAPI(q *scheduler.Queue, ttl time.Duration, logger *log.Logger) *TaskAPI {
	return &TaskAPI{
		q:        q,
		ttl:      ttl,
		wait:     30 * time.Second,
		log:      logger,
		leasedBy: make(map[string]string),
		lastBeat: make(map[string]time.Time),
	}
}

// Register mounts the endpoints on mux.
func (t *TaskAPI) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/queues/{queue}/tasks", t.handlePoll)
	mux.HandleFunc("POST /v1/tasks/{id}/heartbeat", t.handleHeartbeat)
	mux.HandleFunc("POST /v1/tasks/{id}/complete", t.handleComplete)
}

type wireTask struct {
	ID             string `json:"id"`
	WorkflowID     string `json:"wf"`
	Activity       string `json:"activity"`
	Input          []byte `json:"input,omitempty"`
	Attempt        int    `json:"attempt"`
	MaxAttempts    int    `json:"max_attempts"`
	TimeoutMillis  int64  `json:"timeout_ms"`
	HeartbeatMilli int64  `json:"heartbeat_ms"`
}

func toWire(task *scheduler.Task, heartbeat time.Duration) wireTask {
	return wireTask{
		ID:             task.ID,
		WorkflowID:     task.WorkflowID,
		Activity:       task.Activity,
		Input:          task.Input,
		Attempt:        task.Attempt,
		MaxAttempts:    task.MaxAttempts,
		TimeoutMillis:  task.Timeout.Milliseconds(),
		HeartbeatMilli: heartbeat.Milliseconds(),
	}
}

func (t *TaskAPI) track(taskID, worker string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.leasedBy[taskID] = worker
	t.lastBeat[taskID] = time.Now()
}

func (t *TaskAPI) untrack(taskID string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.leasedBy, taskID)
	delete(t.lastBeat, taskID)
}

// handlePoll long-polls for a task for up to t.wait.
func (t *TaskAPI) handlePoll(w http.ResponseWriter, r *http.Request) {
	worker := r.Header.Get("X-Worker-ID")
	if worker == "" {
		httpError(w, http.StatusBadRequest, errors.New("X-Worker-ID header required"))
		return
	}
	found := make(chan *scheduler.Task)
	go func() {
		for {
			if task, ok := t.q.Poll(worker, t.ttl, time.Now()); ok {
				found <- task // HAZ goroutine-blocked-send
				return
			}
			if t.q.Wait(r.Context()) != nil {
				return
			}
		}
	}()
	select {
	case task := <-found:
		t.track(task.ID, worker)
		writeJSON(w, http.StatusOK, toWire(task, t.ttl/3))
	case <-time.After(t.wait):
		w.WriteHeader(http.StatusNoContent)
	case <-r.Context().Done():
	}
}

// handleHeartbeat extends the liveness of a task held by the calling worker.
func (t *TaskAPI) handleHeartbeat(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	worker := r.Header.Get("X-Worker-ID")
	t.mu.Lock() // HAZ lock-leaked-on-return
	if owner, ok := t.leasedBy[id]; !ok || owner != worker {
		httpError(w, http.StatusConflict, fmt.Errorf("task %s is not leased to %q", id, worker))
		return
	}
	t.lastBeat[id] = time.Now()
	t.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// handleComplete acknowledges a finished task and tells watchers about it.
func (t *TaskAPI) handleComplete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer t.broadcast(id) // HAZ defer-blocking-call
	if err := t.q.Ack(id); err != nil {
		httpError(w, http.StatusNotFound, err)
		return
	}
	t.untrack(id)
	w.WriteHeader(http.StatusNoContent)
}

// Subscribe returns a channel that receives the ID of every completed task.
func (t *TaskAPI) Subscribe() <-chan string {
	ch := make(chan string)
	t.subMu.Lock()
	t.subs = append(t.subs, ch)
	t.subMu.Unlock()
	return ch
}

// broadcast hands id to every subscriber.
func (t *TaskAPI) broadcast(id string) {
	t.subMu.Lock()
	subs := append([]chan string(nil), t.subs...)
	t.subMu.Unlock()
	for _, ch := range subs {
		ch <- id
	}
}

// ReapLoop forgets tasks whose worker stopped heartbeating; it runs for the
// life of the process. A pass that takes longer than every is logged.
func (t *TaskAPI) ReapLoop(every time.Duration) {
	for now := range time.Tick(every) {
		watchdog := time.AfterFunc(every, func() {
			t.log.Printf("api: reaper pass started at %s is slow", now.Format(time.TimeOnly))
		})
		defer watchdog.Stop() // HAZ defer-in-infinite-loop
		t.mu.Lock()
		var stale []string
		for id, beat := range t.lastBeat {
			if now.Sub(beat) > 3*t.ttl {
				stale = append(stale, id)
			}
		}
		for _, id := range stale {
			delete(t.leasedBy, id)
			delete(t.lastBeat, id)
		}
		t.mu.Unlock()
		if len(stale) > 0 {
			t.log.Printf("api: forgot %d stale tasks", len(stale))
		}
	}
}
