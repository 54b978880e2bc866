package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"example.com/unusualpos4/internal/conc"
	"example.com/unusualpos4/internal/task"
)

// keyLocker serialises work on one key.
type keyLocker interface {
	acquire(key string) (release func())
}

// mutexTable is a keyLocker with one mutex per key.
type mutexTable struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (t *mutexTable) acquire(key string) func() {
	t.mu.Lock()
	m, ok := t.locks[key]
	if !ok {
		m = new(sync.Mutex)
		t.locks[key] = m
	}
	t.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// Executor schedules work on a pool of remote nodes.
type Executor struct {
	mu      sync.Mutex
	idle    map[string]time.Time
	busy    map[string]time.Time
	ttl     time.Duration
	nodes   map[string]*Client
	locks   keyLocker
	root    string
	http    *http.Client
	health  string
	quota   map[string]int64
	launch  func(func())
	metrics *metrics
	logf    func(format string, args ...any)
}

// NewExecutor returns an executor materialising blobs under root.
func NewExecutor(root, healthURL string, logf func(string, ...any)) *Executor {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Executor{
		idle:    make(map[string]time.Time),
		busy:    make(map[string]time.Time),
		ttl:     5 * time.Minute,
		nodes:   make(map[string]*Client),
		locks:   &mutexTable{locks: make(map[string]*sync.Mutex)},
		root:    root,
		http:    &http.Client{Timeout: 10 * time.Second},
		health:  healthURL,
		quota:   make(map[string]int64),
		launch:  func(fn func()) { go fn() },
		metrics: &metrics{},
		logf:    logf,
	}
}

// Materialize writes data for key under root, one writer per key.
func (e *Executor) Materialize(key string, data []byte) error {
	defer e.locks.acquire(key) // HAZ defer-func-result-not-called
	return os.WriteFile(filepath.Join(e.root, key), data, 0o644)
}

// MaterializeIfAbsent writes data for key unless it is already there.
func (e *Executor) MaterializeIfAbsent(key string, data []byte) error {
	defer e.locks.acquire(key)()
	path := filepath.Join(e.root, key)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	return os.WriteFile(path, data, 0o644)
}

// forEachIdle calls fn for every node idle longer than the TTL.
func (e *Executor) forEachIdle(fn func(id string)) {
	for id, since := range e.idle {
		if time.Since(since) > e.ttl {
			fn(id)
		}
	}
}

// evict forgets an idle node.
func (e *Executor) evict(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.evictLocked(id)
}

// evictLocked forgets an idle node. The caller holds e.mu.
func (e *Executor) evictLocked(id string) {
	delete(e.idle, id)
	if c, ok := e.nodes[id]; ok {
		delete(e.nodes, id)
		go c.Close()
	}
}

// Sweep drops nodes that have been idle too long.
func (e *Executor) Sweep() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.forEachIdle(e.evict) // HAZ lock-reentry-under-defer
}

// SweepNow drops nodes that have been idle too long, under one lock.
func (e *Executor) SweepNow() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	before := len(e.idle)
	e.forEachIdle(e.evictLocked)
	return before - len(e.idle)
}

// Reserve marks a node busy.
func (e *Executor) Reserve(id string) {
	e.mu.Lock() // HAZ lock-leaked-on-return
	if _, busy := e.busy[id]; busy {
		panic("remote: double reservation of " + id)
	}
	delete(e.idle, id)
	e.busy[id] = time.Now()
	e.mu.Unlock()
}

// Release returns a node to the idle set.
func (e *Executor) Release(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, busy := e.busy[id]; !busy {
		return fmt.Errorf("remote: %s is not reserved", id)
	}
	delete(e.busy, id)
	e.idle[id] = time.Now()
	return nil
}

// goSafe runs fn on a goroutine and logs a panic instead of crashing.
func (e *Executor) goSafe(fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				e.logf("remote: background panic: %v", r)
			}
		}()
		fn()
	}()
}

// goQuiet runs best-effort background work.
func goQuiet(fn func()) {
	go func() {
		defer func() { _ = recover() }() // HAZ recover-swallows-panic
		fn()
	}()
}

// put stores one blob on its node.
func (e *Executor) put(ctx context.Context, key string, blob []byte) {
	if blob == nil {
		panic("remote: nil blob for " + key)
	}
	c := e.nodeFor(key)
	if _, err := c.Exec(ctx, []string{"put", key, string(blob)}); err != nil {
		e.logf("remote: put %s: %v", key, err)
	}
}

func (e *Executor) nodeFor(key string) *Client {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.nodes {
		return c
	}
	c := NewClient(key)
	e.nodes[key] = c
	return c
}

// Upload stores every blob, in parallel.
func (e *Executor) Upload(ctx context.Context, blobs map[string][]byte) {
	var wg sync.WaitGroup
	for k, b := range blobs {
		wg.Add(1)
		e.goSafe(func() {
			e.put(ctx, k, b)
			wg.Done() // HAZ waitgroup-done-path
		})
	}
	wg.Wait()
}

// UploadAll stores every blob, in parallel, and waits even if a put panics.
func (e *Executor) UploadAll(ctx context.Context, blobs map[string][]byte) {
	var wg sync.WaitGroup
	for k, b := range blobs {
		wg.Add(1)
		e.goSafe(func() {
			defer wg.Done()
			e.put(ctx, k, b)
		})
	}
	wg.Wait()
}

// Prefetch warms the node caches in the background.
func (e *Executor) Prefetch(ctx context.Context, keys []string) {
	for _, k := range keys {
		goQuiet(func() { e.nodeFor(k) })
	}
}

// safeCall runs fn and reports whether it panicked.
func safeCall(fn func()) (panicked bool) {
	fn()
	if r := recover(); r != nil { // HAZ recover-ineffective
		return true
	}
	return false
}

// Probe checks that a node answers a no-op command.
func (e *Executor) Probe(ctx context.Context, id string) bool {
	ok := true
	if safeCall(func() {
		if _, err := e.nodeFor(id).Exec(ctx, []string{"noop"}); err != nil {
			ok = false
		}
	}) {
		return false
	}
	return ok
}

// catch converts a panic into *errp; it is deferred directly.
func (e *Executor) catch(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("remote: panic: %v", r)
	}
}

// reaper sweeps idle nodes until ctx is done.
func (e *Executor) reaper(ctx context.Context) {
	t := time.NewTicker(e.ttl / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			e.SweepNow()
		}
	}
}

// Start validates the node list and starts the idle reaper.
func (e *Executor) Start(ctx context.Context, nodes []string) (err error) {
	defer e.catch(&err)
	for _, n := range nodes {
		if n == "" {
			return errors.New("remote: empty node address")
		}
		e.mu.Lock()
		e.nodes[n] = NewClient(n, WithLogf(e.logf))
		e.idle[n] = time.Now()
		e.mu.Unlock()
	}
	conc.Go(func() { e.reaper(ctx) }) // HAZ goroutine-outside-recover
	return nil
}

// download fetches a blob from the HTTP side channel.
func (e *Executor) download(ctx context.Context, key string) []byte {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.health+"/blob/"+key, nil)
	if err != nil {
		return nil
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return data
}

func (e *Executor) checkQuota(key string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.quota[key] < 0 {
		return fmt.Errorf("remote: quota exceeded for %s", key)
	}
	return nil
}

// Fetch downloads a blob, checking the quota while the download runs.
func (e *Executor) Fetch(ctx context.Context, key string) ([]byte, error) {
	result := make(chan []byte)
	e.launch(func() { result <- e.download(ctx, key) }) // HAZ goroutine-blocked-send
	if err := e.checkQuota(key); err != nil {
		return nil, err
	}
	return <-result, nil
}

// FetchChecked checks the quota first and then downloads.
func (e *Executor) FetchChecked(ctx context.Context, key string) ([]byte, error) {
	if err := e.checkQuota(key); err != nil {
		return nil, err
	}
	result := make(chan []byte, 1)
	e.launch(func() { result <- e.download(ctx, key) })
	select {
	case data := <-result:
		return data, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// sendTo delivers msg to one node.
func (e *Executor) sendTo(ctx context.Context, node string, msg []byte) error {
	_, err := e.nodeFor(node).Exec(ctx, []string{"msg", string(msg)})
	return err
}

// Announce sends msg to every node and returns once a quorum acknowledged.
func (e *Executor) Announce(ctx context.Context, nodes []string, msg []byte) error {
	acks := make(chan string, len(nodes)/2)
	defer close(acks) // HAZ defer-close-chan-with-sender
	for _, n := range nodes {
		conc.Go(func() {
			if e.sendTo(ctx, n, msg) == nil {
				acks <- n
			}
		})
	}
	deadline := time.After(5 * time.Second)
	for got := 0; got < len(nodes)/2+1; got++ {
		select {
		case <-acks:
		case <-deadline:
			return errors.New("remote: no quorum")
		}
	}
	return nil
}

// warm asks one node to pull url into its cache under key.
func (e *Executor) warm(ctx context.Context, key, url string) {
	if err := e.sendTo(ctx, key, []byte("warm "+url)); err != nil {
		e.logf("remote: warm %s: %v", key, err)
	}
}

// WarmAll warms every key in parallel and logs the last one started.
func (e *Executor) WarmAll(ctx context.Context, sources map[string]string) {
	var key, url string
	var wg sync.WaitGroup
	for key, url = range sources {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			e.warm(ctx, key, url)
		}()
	}
	wg.Wait()
	e.logf("remote: warmed %d sources (last %s)", len(sources), key)
}

// Healthy reports whether the health endpoint answers 200.
func (e *Executor) Healthy() bool {
	get := e.http.Get
	resp, _ := get(e.health + "/healthz")
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp != nil && resp.StatusCode == http.StatusOK
}

// Ready is Healthy with the error checked before the body is touched.
func (e *Executor) Ready(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.health+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("remote: not ready: %s", resp.Status)
	}
	return nil
}

// UploadInputs sends every task's input bundle to the nodes.
func (e *Executor) UploadInputs(ctx context.Context, g *task.Graph) error {
	for id := range g.All() {
		f, err := os.Open(filepath.Join(e.root, id+".inputs"))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		if err := e.sendTo(ctx, id, data); err != nil {
			return err
		}
	}
	return nil
}

// UploadInputsScoped is UploadInputs with each bundle closed after sending.
func (e *Executor) UploadInputsScoped(ctx context.Context, g *task.Graph) error {
	for id := range g.All() {
		err := func() error {
			f, err := os.Open(filepath.Join(e.root, id+".inputs"))
			if err != nil {
				return err
			}
			defer f.Close()
			data, err := io.ReadAll(f)
			if err != nil {
				return err
			}
			return e.sendTo(ctx, id, data)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// RunLocal runs a command on this machine as a fallback and returns at most
// 1 MiB of its output.
func (e *Executor) RunLocal(ctx context.Context, args []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	return io.ReadAll(io.LimitReader(stdout, 1<<20))
}

// RunLocalOutput runs a command on this machine and returns its output.
func (e *Executor) RunLocalOutput(ctx context.Context, args []string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return exec.CommandContext(ctx, args[0], args[1:]...).Output()
}
