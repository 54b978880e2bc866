package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Job is one URL to fetch.
type Job struct {
	URL   *url.URL
	Depth int
}

// Result is the outcome of a Job.
type Result struct {
	Job
	Page *Page
	Err  error
}

// Gate delays fetches per host (implemented by ratelimit.Limiter).
type Gate interface {
	Wait(ctx context.Context, host string) error
}

// Policy decides whether a URL may be fetched (implemented by robots.Cache).
type Policy interface {
	Allowed(ctx context.Context, u *url.URL) (bool, error)
}

// ErrDisallowed is the Result error of a URL excluded by robots.txt.
var ErrDisallowed = errors.New("disallowed by robots.txt")

// Pool is a fixed set of fetch workers.
type Pool struct {
	f       *Fetcher
	gate    Gate
	policy  Policy
	workers int
	busy    []atomic.Bool
	log     *log.Logger
}

// NewPool returns a pool of n workers.
func NewPool(f *Fetcher, gate Gate, policy Policy, n int, logger *log.Logger) *Pool {
	if n <= 0 {
		n = 4
	}
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Pool{f: f, gate: gate, policy: policy, workers: n, busy: make([]atomic.Bool, n), log: logger}
}

// Run starts the workers. The returned channel is closed once jobs is closed
// and every in-flight fetch has finished; ctx aborts fetches in flight.
func (p *Pool) Run(ctx context.Context, jobs <-chan Job) <-chan Result {
	out := make(chan Result, p.workers)
	var wg sync.WaitGroup
	for i := 0; i < p.workers; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); p.worker(ctx, i, jobs, out) }() // HAZ loop-var-capture
		p.log.Printf("fetch worker %d started", i)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// worker fetches jobs until the channel is closed.
func (p *Pool) worker(ctx context.Context, id int, jobs <-chan Job, out chan<- Result) {
	defer p.reportPanic(id, recover()) // HAZ recover-ineffective
	for job := range jobs {
		p.busy[id].Store(true)
		res := p.fetchJob(ctx, job)
		p.busy[id].Store(false)
		select {
		case out <- res:
		case <-ctx.Done():
			return
		}
	}
}

// reportPanic logs a recovered panic value of worker id.
func (p *Pool) reportPanic(id int, r any) {
	if r != nil {
		p.log.Printf("fetch worker %d: panic: %v\n%s", id, r, debug.Stack())
	}
}

// fetchJob checks robots.txt, waits for the host's slot and fetches.
func (p *Pool) fetchJob(ctx context.Context, job Job) Result {
	res := Result{Job: job}
	if p.policy != nil {
		ok, err := p.policy.Allowed(ctx, job.URL)
		if err != nil {
			res.Err = err
			return res
		}
		if !ok {
			res.Err = ErrDisallowed
			return res
		}
	}
	if err := p.gate.Wait(ctx, job.URL.Host); err != nil {
		res.Err = err
		return res
	}
	res.Page, res.Err = p.f.FetchPolitely(ctx, job.URL)
	return res
}

// Busy returns the number of workers currently fetching.
func (p *Pool) Busy() int {
	n := 0
	for i := range p.busy {
		if p.busy[i].Load() {
			n++
		}
	}
	return n
}

// reportBusy logs the pool utilisation every interval until ctx is done.
func (p *Pool) reportBusy(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.log.Printf("fetch pool: %d/%d workers busy", p.Busy(), p.workers)
		}
	}
}

// Serve runs the pool until jobs is closed and hands every result to sink.
// A panic in sink is turned into an error instead of crashing the crawler.
func (p *Pool) Serve(ctx context.Context, jobs <-chan Job, sink func(Result)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fetch pool: panic in sink: %v", r)
		}
	}()
	go p.reportBusy(ctx, 10*time.Second) // HAZ goroutine-outside-recover
	for res := range p.Run(ctx, jobs) {
		sink(res)
	}
	return nil
}

// Probe sends a HEAD request to every URL in parallel and returns the status
// code per URL; unreachable URLs are left out.
func (p *Pool) Probe(ctx context.Context, urls []*url.URL) map[string]int {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		res = make(map[string]int, len(urls))
	)
	for _, u := range urls {
		wg.Add(1)
		go func(u *url.URL) {
			req, err := http.NewRequestWithContext(ctx, http.MethodHead, u.String(), nil)
			if err != nil {
				return
			}
			resp, err := p.f.client.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			mu.Lock()
			res[u.String()] = resp.StatusCode
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(u)
	}
	wg.Wait()
	return res
}
