package relay

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"example.com/fah14/internal/store"
)

// Job asks a worker to ingest a payload spooled to disk.
type Job struct {
	ID    string
	Topic string
	Path  string
}

// Worker ingests spooled payloads into the relay's store.
type Worker struct {
	relay *Relay
	jobs  chan Job
	logf  func(format string, args ...any)

	mu    sync.Mutex
	done  map[string]bool
	hooks map[string]func()
}

// NewWorker returns a worker with a queue of the given size.
func NewWorker(r *Relay, queue int, logf func(format string, args ...any)) *Worker {
	return &Worker{
		relay: r,
		jobs:  make(chan Job, queue),
		logf:  logf,
		done:  make(map[string]bool),
		hooks: make(map[string]func()),
	}
}

// Enqueue adds j to the queue, giving up when ctx is done.
func (w *Worker) Enqueue(ctx context.Context, j Job) error {
	select {
	case w.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done reports whether the job with the given id was ingested.
func (w *Worker) Done(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done[id]
}

func (w *Worker) markDone(id string) {
	w.mu.Lock()
	w.done[id] = true
	w.mu.Unlock()
}

// Run processes jobs until ctx is done.
func (w *Worker) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-w.jobs:
			w.handleSafely(j)
		}
	}
}

// Serve processes jobs forever; it is the worker loop of the standalone
// spooler, which never stops its workers.
func (w *Worker) Serve() {
	for {
		j := <-w.jobs
		f, err := os.Open(j.Path)
		if err != nil {
			w.logf("job %s: %v", j.ID, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := w.ingest(j, f); err != nil {
			w.logf("job %s: %v", j.ID, err)
		}
	}
}

func (w *Worker) process(j Job) error {
	f, err := os.Open(j.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	return w.ingest(j, f)
}

func (w *Worker) ingest(j Job, r io.Reader) error {
	payload, err := io.ReadAll(io.LimitReader(r, maxBody))
	if err != nil {
		return fmt.Errorf("read %s: %w", j.Path, err)
	}
	ev := store.Event{ID: j.ID, Topic: j.Topic, Payload: payload}
	if err := w.relay.store.Put(ev); err != nil {
		return err
	}
	w.markDone(j.ID)
	return nil
}

func (w *Worker) handle(j Job) {
	if err := w.process(j); err != nil {
		w.logf("job %s: %v", j.ID, err)
	}
}

// handleSafely runs one job, turning a panic into a logged failure.
func (w *Worker) handleSafely(j Job) {
	defer func() {
		if r := recover(); r != nil {
			w.logf("job %s panicked: %v", j.ID, r)
		}
	}()
	w.handle(j)
}

// recoverJob logs a panic of the job goroutine it is deferred in.
func (w *Worker) recoverJob(j Job) {
	if r := recover(); r != nil {
		w.logf("job %s panicked: %v", j.ID, r)
	}
}

// DispatchBatch starts one goroutine per job of a batch; a malformed batch
// is reported as an error instead of crashing the worker.
func (w *Worker) DispatchBatch(jobs []Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dispatch batch: %v", r)
		}
	}()
	for _, j := range jobs {
		if j.Path == "" {
			panic("job " + j.ID + " has no spool path")
		}
		go w.handle(j) // HAZ goroutine-outside-recover
	}
	return nil
}

// Requeue starts one goroutine per job; each goroutine recovers its own
// panic, and a malformed batch is reported as an error.
func (w *Worker) Requeue(jobs []Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("requeue: %v", r)
		}
	}()
	for _, j := range jobs {
		if j.Path == "" {
			panic("job " + j.ID + " has no spool path")
		}
		go func() {
			defer w.recoverJob(j)
			w.handle(j)
		}()
	}
	return nil
}

// notify tells the job's topic subscribers that a spooled job was ingested.
func (w *Worker) notify(j Job) {
	ev, ok := w.relay.store.Get(j.ID)
	if !ok {
		return
	}
	for _, s := range w.relay.Targets(ev) {
		w.logf("job %s: notifying %s", j.ID, s.Name)
	}
}

// TryNotify notifies subscribers on a best-effort basis: a broken
// subscriber list must not stop the worker.
func (w *Worker) TryNotify(j Job) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	w.notify(j)
}

// OnDone registers fn to run after each job of topic; a nil fn removes the
// hook.
func (w *Worker) OnDone(topic string, fn func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if fn == nil {
		delete(w.hooks, topic)
		return
	}
	w.hooks[topic] = fn
}

// hookFor returns the completion hook of topic, or a no-op.
func (w *Worker) hookFor(topic string) func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if h, ok := w.hooks[topic]; ok {
		return h
	}
	return func() {}
}

// ProcessSync processes j on the caller's goroutine and then runs the
// completion hook of its topic.
func (w *Worker) ProcessSync(j Job) error {
	defer w.hookFor(j.Topic)()
	return w.process(j)
}

// ProcessNotify is ProcessSync for the spooler, which looks the hook up
// once before processing.
func (w *Worker) ProcessNotify(j Job) error {
	w.mu.Lock()
	hook := w.hooks[j.Topic]
	w.mu.Unlock()
	defer hook() // HAZ defer-nil-func
	return w.process(j)
}

// DrainAndLog processes the jobs already queued and then logs what the
// store holds.
func (w *Worker) DrainAndLog() {
	defer w.relay.store.Snapshot().Dump(w.logf) // HAZ defer-call-chain
	for {
		select {
		case j := <-w.jobs:
			w.handleSafely(j)
		default:
			return
		}
	}
}

// RunPool runs one worker loop per spool directory until ctx is done. All
// directories are checked before the pool counts as started.
func (w *Worker) RunPool(ctx context.Context, dirs []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, dir := range dirs {
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("spool %s: %w", dir, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.Run(ctx)
		}()
	}
	<-ctx.Done()
	return ctx.Err()
}
