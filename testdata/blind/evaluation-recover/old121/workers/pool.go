// Package workers is the job fan-out layer of the legacy ingest service.
// The module is still on go1.21: a variable declared by a for statement is
// shared by all iterations, so closures started with go see it change.
package workers

import (
	"context"
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Job is one ingest job.
type Job struct {
	ID       string
	Source   string
	Priority int
}

// Worker runs ingest jobs.
type Worker struct {
	log     *log.Logger
	started atomic.Int64
	async   bool
	run     func(ctx context.Context, j Job) error
}

// NewWorker returns a worker.
func NewWorker(l *log.Logger, run func(context.Context, Job) error) *Worker {
	return &Worker{log: l, run: run}
}

func (w *Worker) runLogged(ctx context.Context, j Job) {
	if err := w.run(ctx, j); err != nil {
		w.log.Printf("job %s: %v", j.ID, err)
	}
}

// TenantConfig is a tenant's export configuration.
type TenantConfig struct {
	Endpoint string
	Token    string
}

// Tenant is a customer tenant.
type Tenant struct {
	ID     string
	Config TenantConfig
}

// Exporter pushes tenant data.
type Exporter struct {
	log  *log.Logger
	push func(tenantID, endpoint, token string) error
}

// Event is an ingest event.
type Event struct {
	Kind string
	Key  string
	Body string
}

// Indexer indexes events.
type Indexer struct {
	log    *log.Logger
	index  func(ev Event)
	delete func(key string)
}

// Lease is a claim on a source that must be released.
type Lease struct {
	Source string
	held   atomic.Bool
}

// Release gives the lease back.
func (l *Lease) Release() {
	l.held.Store(false)
}

// RunAll starts every job concurrently and waits for them.
func (w *Worker) RunAll(ctx context.Context, jobs []Job) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			w.runLogged(ctx, job)
		}()
		w.started.Add(1)
	}
	wg.Wait()
}

// FetchAll downloads every URL concurrently into its slot of the result.
func FetchAll(ctx context.Context, urls []string, fetch func(context.Context, string) ([]byte, error)) ([][]byte, []error) {
	bodies := make([][]byte, len(urls))
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i := 0; i < len(urls); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			bodies[i], errs[i] = fetch(ctx, urls[i])
		}()
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	return bodies, errs
}

// RefreshSources re-reads every configured source concurrently.
func (w *Worker) RefreshSources(ctx context.Context, sources map[string]time.Duration) int {
	var wg sync.WaitGroup
	n := 0
	for name, every := range sources {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			w.log.Printf("refreshing %s (every %s)", name, every)
			w.runLogged(ctx, Job{ID: "refresh-" + name, Source: name})
		}()
		n++
	}
	wg.Wait()
	return n
}

// Consume reads jobs from the queue and runs each in its own goroutine
// until the queue closes or ctx ends.
func (w *Worker) Consume(ctx context.Context, queue <-chan Job) int {
	var wg sync.WaitGroup
	n := 0
consume:
	for job := range queue {
		select {
		case <-ctx.Done():
			break consume
		default:
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			w.runLogged(ctx, job)
		}()
		n++
	}
	wg.Wait()
	return n
}

// ParallelEach calls fn on every item concurrently.
func ParallelEach[T any](items []T, fn func(T)) int {
	var wg sync.WaitGroup
	count := 0
	for _, it := range items {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fn(it)
		}()
		count++
	}
	wg.Wait()
	return count
}

// ExportTenants pushes every tenant concurrently.
func (e *Exporter) ExportTenants(tenants []Tenant) {
	var wg sync.WaitGroup
	for _, t := range tenants {
		if t.Config.Endpoint == "" {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := e.push(t.ID, t.Config.Endpoint, t.Config.Token); err != nil {
				e.log.Printf("export %s: %v", t.ID, err)
			}
		}()
		e.log.Printf("export of %s started", t.ID)
	}
	wg.Wait()
}

// ExportMatrix pushes every tenant to every mirror endpoint.
func (e *Exporter) ExportMatrix(tenants []Tenant, mirrors []string) {
	var wg sync.WaitGroup
	for _, t := range tenants {
		for _, m := range mirrors {
			wg.Add(1)
			go func() { // HAZ loop-var-capture
				defer wg.Done()
				if err := e.push(t.ID, m, t.Config.Token); err != nil {
					e.log.Printf("mirror %s for %s: %v", m, t.ID, err)
				}
			}()
			e.log.Printf("mirror export scheduled")
		}
	}
	wg.Wait()
}

// Apply indexes or deletes each event concurrently by kind.
func (ix *Indexer) Apply(events []Event) {
	var wg sync.WaitGroup
	for _, ev := range events {
		switch ev.Kind {
		case "upsert":
			wg.Add(1)
			go func() { // HAZ loop-var-capture
				defer wg.Done()
				ix.index(ev)
			}()
		case "delete":
			ix.delete(ev.Key)
		default:
			ix.log.Printf("unknown event kind %q", ev.Kind)
		}
		ix.log.Printf("applied %s", ev.Key)
	}
	wg.Wait()
}

// RunUrgent runs high-priority jobs asynchronously when configured to.
func (w *Worker) RunUrgent(ctx context.Context, jobs []Job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.Priority > 5 {
			if w.async {
				wg.Add(1)
				go func() { // HAZ loop-var-capture
					defer wg.Done()
					w.runLogged(ctx, j)
				}()
			} else {
				w.runLogged(ctx, j)
			}
		}
		w.started.Add(1)
	}
	wg.Wait()
}

// RunPrefix runs jobs until the first one from a paused source and returns
// how many it started.
func (w *Worker) RunPrefix(ctx context.Context, jobs []Job, paused string) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(jobs); i++ {
		if jobs[i].Source == paused {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			w.runLogged(ctx, jobs[i])
		}()
		w.started.Add(1)
	}
	wg.Wait()
	return i
}

// ---- negatives -------------------------------------------------------------

// RunAllShadowed copies the loop variable first (the pre-1.22 fix).
func (w *Worker) RunAllShadowed(ctx context.Context, jobs []Job) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		job := job
		wg.Add(1)
		go func() { // ok: shadowed copy
			defer wg.Done()
			w.runLogged(ctx, job)
		}()
	}
	wg.Wait()
}

// FetchAllArgs passes the index as an argument.
func FetchAllArgs(ctx context.Context, urls []string, fetch func(context.Context, string) ([]byte, error)) [][]byte {
	bodies := make([][]byte, len(urls))
	var wg sync.WaitGroup
	for i := 0; i < len(urls); i++ {
		wg.Add(1)
		go func(i int, url string) { // ok: values passed as arguments
			defer wg.Done()
			b, err := fetch(ctx, url)
			if err == nil {
				bodies[i] = b
			}
		}(i, urls[i])
	}
	wg.Wait()
	return bodies
}

// RunAllNamed starts a method directly; its arguments are evaluated by the
// go statement.
func (w *Worker) RunAllNamed(ctx context.Context, jobs []Job) {
	for _, job := range jobs {
		go w.runLogged(ctx, job) // ok: no closure
	}
}

// ProcessLeased runs each job under its lease; the deferred release lives
// in a per-iteration function literal, so it runs before the next
// iteration.
func (w *Worker) ProcessLeased(ctx context.Context, leases []*Lease, jobs map[string]Job) int {
	done := 0
	for _, lease := range leases {
		func() {
			defer func() { lease.Release() }() // ok: runs at the end of this iteration
			if j, ok := jobs[lease.Source]; ok {
				w.runLogged(ctx, j)
				done++
			}
		}()
	}
	return done
}

// Summarize builds a summary with a closure that runs synchronously.
func Summarize(jobs []Job) string {
	var b strings.Builder
	for i, j := range jobs {
		write := func() {
			fmt.Fprintf(&b, "%d:%s ", i, j.ID) // ok: called right away
		}
		write()
	}
	return b.String()
}

// IngestLines parses each line into a body-scoped variable and captures only
// that, which is per iteration at every Go version.
func (ix *Indexer) IngestLines(lines []string) {
	var wg sync.WaitGroup
	for _, raw := range lines {
		ev := Event{Kind: "upsert", Key: strings.SplitN(raw, " ", 2)[0], Body: raw}
		wg.Add(1)
		go func() { // ok: ev is declared in the body
			defer wg.Done()
			ix.index(ev)
		}()
	}
	wg.Wait()
}

// Heartbeats starts one ticker goroutine per configured interval count
// without reading the loop variable.
func (w *Worker) Heartbeats(ctx context.Context, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { // ok: no loop variable read
			defer wg.Done()
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
				w.log.Printf("heartbeat")
			}
		}()
	}
	wg.Wait()
}
