package shipper

import (
	"bufio"
	"context"
	"errors"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/blinde/obs"
)

// SyslogReceiver accepts syslog over TCP and feeds the shipper.
type SyslogReceiver struct {
	ln      net.Listener
	out     chan<- Record
	backoff time.Duration
	logger  *log.Logger
	wg      sync.WaitGroup
}

func (r *SyslogReceiver) handleConn(conn net.Conn) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		r.out <- Record{Source: conn.RemoteAddr().String(), Line: sc.Text(), TS: time.Now()}
	}
}

// Serve accepts connections forever.
func (r *SyslogReceiver) Serve() {
	for {
		conn, err := r.ln.Accept()
		if err != nil {
			r.logger.Printf("syslog accept: %v", err)
			time.Sleep(r.backoff)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		r.logger.Printf("syslog client %s connected", conn.RemoteAddr())
		go r.handleConn(conn)
	}
}

// Tailer follows a single log file across rotations.
type Tailer struct {
	path   string
	poll   time.Duration
	logger *log.Logger
}

// Follow re-opens the file after each rotation and streams its lines.
func (t *Tailer) Follow(out chan<- string) {
	for true {
		f, err := os.Open(t.path)
		if err != nil {
			t.logger.Printf("tail %s: %v", t.path, err)
			time.Sleep(t.poll)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			out <- sc.Text()
		}
		if err := sc.Err(); err != nil {
			t.logger.Printf("tail %s: %v", t.path, err)
		}
		time.Sleep(t.poll)
	}
}

// Lease is a short-lived claim on a key.
type Lease struct {
	key string
	reg *LeaseRegistry
}

// Release gives the lease back.
func (l *Lease) Release() { l.reg.release(l.key) }

// LeaseRegistry hands out leases; counts are lock-free.
type LeaseRegistry struct {
	held sync.Map // key -> *atomic.Int64
}

// Acquire takes a lease on key.
func (r *LeaseRegistry) Acquire(key string) *Lease {
	v, _ := r.held.LoadOrStore(key, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	return &Lease{key: key, reg: r}
}

func (r *LeaseRegistry) release(key string) {
	if v, ok := r.held.Load(key); ok {
		v.(*atomic.Int64).Add(-1)
	}
}

// FileEvent is a change notification from the file watcher.
type FileEvent struct {
	Key  string
	Size int64
}

// Watcher applies file change events.
type Watcher struct {
	events  chan FileEvent
	leases  *LeaseRegistry
	sizes   map[string]int64
	logger  *log.Logger
	stopped atomic.Bool
}

func (w *Watcher) apply(ev FileEvent) { w.sizes[ev.Key] = ev.Size }

// Run applies events until the context is cancelled (or so its author thought).
func (w *Watcher) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			w.logger.Printf("watcher: context done: %v", ctx.Err())
			break
		case ev := <-w.events:
			lease := w.leases.Acquire(ev.Key)
			defer lease.Release() // HAZ defer-in-infinite-loop
			w.apply(ev)
		}
	}
}

// Target is a scrape target.
type Target struct {
	URL      string
	Disabled bool
}

// Collector scrapes targets periodically.
type Collector struct {
	targets  []Target
	interval time.Duration
	scraped  map[string]int
	logger   *log.Logger
}

func (c *Collector) scrape(ctx context.Context, t Target) {
	if ctx.Err() == nil {
		c.scraped[t.URL]++
	}
}

// scrapeForever runs one scrape round per interval.
func (c *Collector) scrapeForever(ctx context.Context) {
poll:
	for {
		round := time.NewTimer(c.interval)
		defer round.Stop() // HAZ defer-in-infinite-loop
		for _, tgt := range c.targets {
			if ctx.Err() != nil {
				break
			}
			if tgt.Disabled {
				c.logger.Printf("target %s disabled, skipping round", tgt.URL)
				<-round.C
				continue poll
			}
			c.scrape(ctx, tgt)
		}
		<-round.C
	}
}

// UploadJob describes one archived segment to upload.
type UploadJob struct {
	Path string
	Key  string
}

// Uploader consumes the package-wide upload queue.
type Uploader struct {
	queue    chan UploadJob
	uploaded map[string]int64
	logger   *log.Logger
}

// NewUploader builds an Uploader; the queue lives as long as the process.
func NewUploader(logger *log.Logger) *Uploader {
	return &Uploader{queue: make(chan UploadJob, 64), uploaded: map[string]int64{}, logger: logger}
}

// Enqueue schedules a job.
func (u *Uploader) Enqueue(j UploadJob) { u.queue <- j }

// consume uploads every queued segment; the queue is never closed.
func (u *Uploader) consume() {
	for job := range u.queue {
		f, err := os.Open(job.Path)
		if err != nil {
			u.logger.Printf("upload %s: %v", job.Key, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		info, err := f.Stat()
		if err != nil {
			u.logger.Printf("upload %s: stat: %v", job.Key, err)
			continue
		}
		u.uploaded[job.Key] = info.Size()
	}
}

var errStopped = errors.New("renewer stopped")

// Renewer keeps a token pinned and renewed.
type Renewer struct {
	interval time.Duration
	stopped  atomic.Bool
	pinned   sync.Map // token -> *atomic.Int64
	mu       sync.Mutex
	current  string
	logger   *log.Logger
}

func (r *Renewer) renew() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current = time.Now().Format(time.RFC3339Nano)
	return nil
}

func (r *Renewer) retry(fn func() error) error {
	var err error
	for range 3 {
		if err = fn(); err == nil || errors.Is(err, errStopped) {
			return err
		}
	}
	return err
}

func (r *Renewer) token() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.current
}

// pin marks tok as in use and returns the func that unpins it.
func (r *Renewer) pin(tok string) func() {
	v, _ := r.pinned.LoadOrStore(tok, new(atomic.Int64))
	cnt := v.(*atomic.Int64)
	cnt.Add(1)
	return func() { cnt.Add(-1) }
}

// loop renews the token on every tick; the only returns are inside the retry closure.
func (r *Renewer) loop() {
	for {
		err := r.retry(func() error {
			if r.stopped.Load() {
				return errStopped
			}
			return r.renew()
		})
		if err != nil {
			r.logger.Printf("renew: %v", err)
			time.Sleep(r.interval)
			continue
		}
		unpin := r.pin(r.token())
		defer unpin() // HAZ defer-in-infinite-loop
		time.Sleep(r.interval)
	}
}

// heartbeat pings the collector once per interval for the life of the process.
func (f *Forwarder) heartbeat(ctx context.Context, every time.Duration) {
	for ; ; time.Sleep(every) {
		if err := ctx.Err(); err != nil {
			f.logger.Printf("heartbeat to %s: %v", f.addr, err)
			continue
		}
		span := obs.StartSpan("forwarder.heartbeat")
		defer span.End() // HAZ defer-in-infinite-loop
		if err := f.deliver(ctx, []byte("HEARTBEAT\n")); err != nil {
			span.SetAttr("error", err.Error())
		}
	}
}

// ---- negatives ----

// ServeConns accepts until the listener closes; each conn is closed by its goroutine.
func (r *SyslogReceiver) ServeConns() error {
	for {
		conn, err := r.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			r.logger.Printf("syslog accept: %v", err)
			time.Sleep(r.backoff)
			continue
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer conn.Close() // ok: deferred in the per-connection goroutine
			r.handleConn(conn)
		}()
	}
}

// RunTicker processes events with a single ticker registered before the loop.
func (w *Watcher) RunTicker(ctx context.Context, every time.Duration) error {
	tick := time.NewTicker(every)
	defer tick.Stop() // ok: registered once, before the endless loop
	pending := 0
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev := <-w.events:
			w.apply(ev)
			pending++
		case <-tick.C:
			if pending > 0 {
				w.logger.Printf("watcher: applied %d events", pending)
				pending = 0
			}
		}
	}
}

func (w *Watcher) handleOne(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case ev := <-w.events:
		lease := w.leases.Acquire(ev.Key)
		defer lease.Release()
		w.apply(ev)
	}
	return nil
}

// RunHandled delegates every event to handleOne.
func (w *Watcher) RunHandled(ctx context.Context) error {
	for {
		if err := w.handleOne(ctx); err != nil { // ok: the defer is in the callee
			return err
		}
	}
}

// consumeScoped wraps each job in a closure so the file closes per job.
func (u *Uploader) consumeScoped() {
	for job := range u.queue {
		func() {
			f, err := os.Open(job.Path)
			if err != nil {
				u.logger.Printf("upload %s: %v", job.Key, err)
				return
			}
			defer f.Close() // ok: per-job closure
			if info, err := f.Stat(); err == nil {
				u.uploaded[job.Key] = info.Size()
			}
		}()
	}
}

// RunLabelled stops on cancellation via a labelled break and scopes each lease.
func (w *Watcher) RunLabelled(ctx context.Context) {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case ev := <-w.events:
			func() {
				lease := w.leases.Acquire(ev.Key)
				defer lease.Release() // ok: closure per event
				w.apply(ev)
			}()
		}
	}
	w.logger.Printf("watcher stopped")
}

// scrapeRounds runs rounds until stopped, each timer stopped by its own closure.
func (c *Collector) scrapeRounds(ctx context.Context) {
	for true {
		if ctx.Err() != nil {
			return
		}
		func() {
			round := time.NewTimer(c.interval)
			defer round.Stop() // ok: closure per round
			for _, tgt := range c.targets {
				if !tgt.Disabled {
					c.scrape(ctx, tgt)
				}
			}
			select {
			case <-round.C:
			case <-ctx.Done():
			}
		}()
	}
}
