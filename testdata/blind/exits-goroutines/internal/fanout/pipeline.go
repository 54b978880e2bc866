package fanout

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Node is one member of a Cluster.
type Node struct {
	Name    string
	Ping    func(ctx context.Context) error
	Drain   func(ctx context.Context) error
	Restart func(ctx context.Context) error
}

// Cluster is a set of nodes managed together.
type Cluster struct {
	nodes []*Node
}

// PingAll pings every node and fails fast. The early returns run the
// deferred close while pings are still in flight; their sends then panic.
func (c *Cluster) PingAll(ctx context.Context) error {
	errs := make(chan error, len(c.nodes))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, n := range c.nodes {
		go func() {
			errs <- n.Ping(ctx)
		}()
	}
	for range c.nodes {
		select {
		case err := <-errs:
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// DrainAll drains every node. All senders are done (wg.Wait) before the
// deferred close runs.
func (c *Cluster) DrainAll(ctx context.Context) error {
	errs := make(chan error, len(c.nodes))
	defer close(errs) // ok: wg.Wait below guarantees no sender is left
	var wg sync.WaitGroup
	for _, n := range c.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := n.Drain(ctx); err != nil {
				errs <- fmt.Errorf("drain %s: %w", n.Name, err)
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return <-errs
	}
	return nil
}

// RestartAll restarts every node and reports all failures. Every goroutine
// sends exactly once and every send is received before returning.
func (c *Cluster) RestartAll(ctx context.Context) error {
	errs := make(chan error)
	defer close(errs) // ok: receive-all loop below, no early return
	for _, n := range c.nodes {
		go func() {
			errs <- n.Restart(ctx)
		}()
	}
	var all error
	for range c.nodes {
		all = errors.Join(all, <-errs)
	}
	return all
}

// Replica serves reads.
type Replica interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// ReplicaSet hedges reads across replicas.
type ReplicaSet struct {
	replicas []Replica
}

// Get returns the first replica answer. The losers send after the deferred
// close has run and panic.
func (rs *ReplicaSet) Get(ctx context.Context, key string) ([]byte, error) {
	type answer struct {
		val []byte
		err error
	}
	answers := make(chan answer, len(rs.replicas))
	defer close(answers) // HAZ defer-close-chan-with-sender
	for _, r := range rs.replicas {
		go func() {
			v, err := r.Get(ctx, key)
			answers <- answer{v, err}
		}()
	}
	a := <-answers
	return a.val, a.err
}

// Job is a unit of work for the worker pool.
type Job struct {
	ID  int
	Run func(ctx context.Context) (string, error)
}

// Outcome is the result of a Job.
type Outcome struct {
	JobID  int
	Output string
	Err    error
}

func runWorker(ctx context.Context, jobs <-chan Job, results chan<- Outcome) {
	for j := range jobs {
		out, err := j.Run(ctx)
		select {
		case results <- Outcome{JobID: j.ID, Output: out, Err: err}:
		case <-ctx.Done():
			return
		}
	}
}

// StartWorkers launches n workers that report on results. The deferred close
// runs as soon as the workers are launched, long before they are done.
func StartWorkers(ctx context.Context, n int, jobs <-chan Job, results chan<- Outcome) {
	defer close(results) // HAZ defer-close-chan-with-sender
	for range n {
		go runWorker(ctx, jobs, results)
	}
}

// MapAsync applies f to every element concurrently and returns the channel of
// results. The channel is closed when MapAsync returns, i.e. immediately.
func MapAsync[T, R any](in []T, f func(T) R) <-chan R {
	out := make(chan R, len(in))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, v := range in {
		go func() {
			out <- f(v)
		}()
	}
	return out
}

// Gather runs all fns concurrently and collects their values. wg.Wait runs
// before any return, so the deferred close is safe.
func Gather[T any](ctx context.Context, fns []func(context.Context) (T, error)) ([]T, error) {
	type item struct {
		v   T
		err error
	}
	ch := make(chan item, len(fns))
	defer close(ch) // ok: all senders finished at wg.Wait
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := fn(ctx)
			ch <- item{v, err}
		}()
	}
	wg.Wait()
	out := make([]T, 0, len(fns))
	var errs error
	for range fns {
		it := <-ch
		if it.err != nil {
			errs = errors.Join(errs, it.err)
			continue
		}
		out = append(out, it.v)
	}
	return out, errs
}

// Syncer pulls git mirrors into a shared workspace.
type Syncer struct {
	pull func(ctx context.Context, repo string) (bool, error)
	busy atomic.Bool
}

func (s *Syncer) claimWorkspace() error {
	if !s.busy.CompareAndSwap(false, true) {
		return errors.New("workspace busy")
	}
	return nil
}

func (s *Syncer) releaseWorkspace() {
	s.busy.Store(false)
}

// PullAll pulls every repo and returns the ones that changed. The wg.Wait
// is skipped on the error path, where pulls are still running when the
// deferred close executes.
func (s *Syncer) PullAll(ctx context.Context, repos []string) ([]string, error) {
	updated := make(chan string, len(repos))
	defer close(updated) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, r := range repos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if changed, err := s.pull(ctx, r); err == nil && changed {
				updated <- r
			}
		}()
	}
	if err := s.claimWorkspace(); err != nil {
		return nil, fmt.Errorf("pull: %w", err)
	}
	wg.Wait()
	s.releaseWorkspace()
	out := make([]string, 0, len(updated))
	for len(updated) > 0 {
		out = append(out, <-updated)
	}
	return out, nil
}

// ResolveAll resolves hosts concurrently. The senders select on ctx.Done, but
// that does not help: after an early return the channel is closed and a send
// case on a closed channel panics.
func ResolveAll(ctx context.Context, r *net.Resolver, hosts []string) (map[string][]string, error) {
	type res struct {
		host  string
		addrs []string
		err   error
	}
	out := make(chan res)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, h := range hosts {
		go func() {
			addrs, err := r.LookupHost(ctx, h)
			select {
			case out <- res{h, addrs, err}:
			case <-ctx.Done():
			}
		}()
	}
	m := make(map[string][]string, len(hosts))
	for range hosts {
		select {
		case x := <-out:
			if x.err != nil {
				return nil, fmt.Errorf("resolve %s: %w", x.host, x.err)
			}
			m[x.host] = x.addrs
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return m, nil
}

// Page is a crawled page.
type Page struct {
	URL  string
	Body []byte
}

// Crawler fetches pages with bounded parallelism and publishes them on
// results.
type Crawler struct {
	parallel int
	fetch    func(ctx context.Context, url string) (Page, error)
	results  chan Page
}

// Crawl fetches seeds. It closes c.results when the last fetch has been
// *started*, not finished: the late fetches send on a closed channel.
func (c *Crawler) Crawl(ctx context.Context, seeds []string) {
	defer close(c.results) // HAZ defer-close-chan-with-sender
	sem := make(chan struct{}, c.parallel)
	for _, u := range seeds {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		go func() {
			p, err := c.fetch(ctx, u)
			<-sem
			if err == nil {
				c.results <- p
			}
		}()
	}
}

// Quote is a price quote.
type Quote struct {
	Venue string
	Price float64
}

// Venue quotes prices.
type Venue interface {
	Quote(ctx context.Context, symbol string) (Quote, error)
}

// Aggregator collects quotes from venues.
type Aggregator struct {
	venues []Venue
}

// Quotes collects whatever quotes arrive within wait. Venues answering after
// the deadline send on the closed channel.
func (a *Aggregator) Quotes(ctx context.Context, symbol string, wait time.Duration) []Quote {
	ch := make(chan Quote, len(a.venues))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, v := range a.venues {
		go func() {
			if q, err := v.Quote(ctx, symbol); err == nil {
				ch <- q
			}
		}()
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var quotes []Quote
	for range a.venues {
		select {
		case q := <-ch:
			quotes = append(quotes, q)
		case <-timer.C:
			return quotes
		}
	}
	return quotes
}

// LogRecord is one parsed log record.
type LogRecord struct {
	Level string
	Msg   string
}

func parseRecord(line string) (LogRecord, error) {
	level, msg, ok := strings.Cut(line, " ")
	if !ok {
		return LogRecord{}, fmt.Errorf("malformed line %q", line)
	}
	return LogRecord{Level: level, Msg: msg}, nil
}

// ParseRecords is a pipeline stage. The only sender is the goroutine, and it
// closes out itself when it is done.
func ParseRecords(ctx context.Context, lines <-chan string) <-chan LogRecord {
	out := make(chan LogRecord)
	go func() {
		defer close(out) // ok: closed by its only sender
		for l := range lines {
			rec, err := parseRecord(l)
			if err != nil {
				continue
			}
			select {
			case out <- rec:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Session is a file-transfer session with a keepalive.
type Session struct {
	send func(ctx context.Context, file string) error
	ping func()
}

func (s *Session) keepalive(stop <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s.ping()
		}
	}
}

// Transfer sends files while a keepalive goroutine runs. stop is a broadcast
// channel: the goroutine only receives from it, nobody sends.
func (s *Session) Transfer(ctx context.Context, files []string) error {
	stop := make(chan struct{})
	defer close(stop) // ok: the goroutine only receives from stop
	go s.keepalive(stop, 15*time.Second)
	for _, f := range files {
		if err := s.send(ctx, f); err != nil {
			return fmt.Errorf("transfer %s: %w", f, err)
		}
	}
	return nil
}

// RunTool runs an external tool and returns its stderr output. The single
// sender has sent by the time the unconditional receive returns.
func RunTool(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	logs := make(chan string)
	defer close(logs) // ok: the only send is received below before any return
	go func() {
		b, _ := io.ReadAll(stderr)
		logs <- string(b)
	}()
	msg := <-logs
	if err := cmd.Wait(); err != nil {
		return msg, fmt.Errorf("%s: %w", name, err)
	}
	return msg, nil
}

type progress struct {
	file string
	n    int64
	err  error
	done bool
}

// Mirror copies files to a remote.
type Mirror struct {
	copyFile func(ctx context.Context, file string) (int64, error)
}

// Sync copies files on a background goroutine and returns the bytes copied.
// The goroutine's last send is the done event; we only return after receiving
// it.
func (m *Mirror) Sync(ctx context.Context, files []string) (int64, error) {
	events := make(chan progress)
	defer close(events) // ok: we return only after the sender's final event
	go func() {
		for _, f := range files {
			n, err := m.copyFile(ctx, f)
			events <- progress{file: f, n: n, err: err}
		}
		events <- progress{done: true}
	}()
	var errs error
	var total int64
	for {
		ev := <-events
		if ev.done {
			return total, errs
		}
		if ev.err != nil {
			errs = errors.Join(errs, fmt.Errorf("%s: %w", ev.file, ev.err))
			continue
		}
		total += ev.n
	}
}

// FrameConn forwards length-prefixed frames to a writer goroutine.
type FrameConn struct {
	w io.Writer
}

func (c *FrameConn) writeLoop(frames <-chan []byte) {
	var werr error
	for f := range frames {
		if werr != nil {
			continue // keep draining so Pump never blocks
		}
		_, werr = c.w.Write(f)
	}
}

func readFrame(br *bufio.Reader) ([]byte, error) {
	header, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(header))
	if err != nil || n < 0 || n > 1<<20 {
		return nil, fmt.Errorf("bad frame header %q", header)
	}
	frame := make([]byte, n)
	if _, err := io.ReadFull(br, frame); err != nil {
		return nil, err
	}
	return frame, nil
}

// Pump reads frames from r and queues them for the writer goroutine. This
// function is the only sender on out; the goroutine only receives.
func (c *FrameConn) Pump(r io.Reader) error {
	out := make(chan []byte, 32)
	defer close(out) // ok: sole sender is this function; writeLoop only receives
	go c.writeLoop(out)
	br := bufio.NewReader(r)
	for {
		frame, err := readFrame(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		out <- frame
	}
}
