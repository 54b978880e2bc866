// Package loops contains loops that acquire resources per iteration, start
// goroutines per element, and run forever.
package loops

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ProcessFiles scopes each file to one iteration with a function literal.
func ProcessFiles(paths []string, fn func(name string, r io.Reader) error) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // ok: runs at the end of this iteration's literal
			return fn(p, f)
		}()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

func sumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// HashAll calls a helper per iteration; the defer lives in the helper.
func HashAll(paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		sum, err := sumFile(p)
		if err != nil {
			return nil, err
		}
		out[p] = sum
	}
	return out, nil
}

type bucket struct {
	mu     sync.Mutex
	counts map[string]int
}

// ResetBuckets locks and unlocks each bucket inside a per-iteration literal,
// so the deferred Unlock never accumulates across iterations.
func ResetBuckets(buckets []*bucket) int {
	total := 0
	for _, b := range buckets {
		func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			total += len(b.counts)
			clear(b.counts)
		}()
	}
	return total
}

func readBanner(conn net.Conn) (string, error) {
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line), err
}

// DialBanner retries the dial; once a connection exists the deferred Close
// is immediately followed by a return, so at most one defer is ever pending.
func DialBanner(ctx context.Context, addr string, attempts int) (string, error) {
	var d net.Dialer
	var lastErr error
	for attempt := 1; attempt <= attempts; attempt++ {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			lastErr = err
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
			}
			continue
		}
		defer conn.Close() // ok: unconditionally followed by return
		return readBanner(conn)
	}
	return "", lastErr
}

// ConcatFiles opens all inputs in the loop and closes them in one deferred
// closure registered before the loop.
func ConcatFiles(dst io.Writer, paths []string) error {
	files := make([]*os.File, 0, len(paths))
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	readers := make([]io.Reader, len(files))
	for i, f := range files {
		readers[i] = f
	}
	_, err := io.Copy(dst, io.MultiReader(readers...))
	return err
}

// FetchConcurrently defers wg.Done inside each goroutine's literal.
func FetchConcurrently(ctx context.Context, urls []string, fetch func(context.Context, string) error) []error {
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fetch(ctx, u)
		}()
	}
	wg.Wait()
	return errs
}

// DiskUsage opens files inside the WalkDir callback; the defer belongs to
// the callback, which returns once per file.
func DiskUsage(root string) (int64, error) {
	var total int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		n, err := io.Copy(io.Discard, f)
		total += n
		return err
	})
	return total, err
}

// ---------------------------------------------------------------------------
// Long-running loops

// Poller calls Tick on an interval until its context ends.
type Poller struct {
	Interval time.Duration
	Tick     func(context.Context) error
	Logger   *log.Logger
}

// Run stops the ticker in a defer registered before the loop; the loop
// returns when ctx is done.
func (p *Poller) Run(ctx context.Context) error {
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := p.Tick(ctx); err != nil {
				p.Logger.Printf("tick: %v", err)
			}
		}
	}
}

// Message is a unit of work from a queue.
type Message struct {
	ID   string
	Body []byte
}

// Queue is a blocking source of messages.
type Queue interface {
	Take() Message
	Ack(id string)
	Nack(id string)
}

// Consumer processes messages forever.
type Consumer struct {
	Queue  Queue
	Handle func(Message) error
	Logger *log.Logger
}

func (c *Consumer) recoverMessage(m Message) {
	if r := recover(); r != nil {
		c.Logger.Printf("message %s: panic: %v", m.ID, r)
		c.Queue.Nack(m.ID)
	}
}

// Loop never returns; each message's defer runs at the end of its own
// function literal.
func (c *Consumer) Loop() {
	for {
		msg := c.Queue.Take()
		func() {
			defer c.recoverMessage(msg)
			if err := c.Handle(msg); err != nil {
				c.Logger.Printf("message %s: %v", msg.ID, err)
				c.Queue.Nack(msg.ID)
				return
			}
			c.Queue.Ack(msg.ID)
		}()
	}
}

// ServeForever accepts until the listener fails; each connection's Close is
// deferred inside its goroutine.
func ServeForever(ln net.Listener, handle func(net.Conn)) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go func() {
			defer conn.Close()
			handle(conn)
		}()
	}
}

// ServeQueue handles connections from a channel forever; each connection is
// closed when its iteration's literal returns.
func ServeQueue(conns <-chan net.Conn, handle func(net.Conn)) {
	for {
		conn := <-conns
		func() {
			defer conn.Close()
			handle(conn)
		}()
	}
}

// Reporter flushes buffered stats for the life of the process.
type Reporter struct {
	mu      sync.Mutex
	pending []string
	sink    func([]string)
}

func (r *Reporter) flushLocked() {
	if len(r.pending) == 0 {
		return
	}
	r.sink(r.pending)
	r.pending = nil
}

// RunForever ranges over a ticker channel that is never closed; the
// per-tick lock is scoped by a function literal.
func (r *Reporter) RunForever(interval time.Duration) {
	t := time.NewTicker(interval)
	for range t.C {
		func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.flushLocked()
		}()
	}
}

// Record queues a stat line.
func (r *Reporter) Record(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = append(r.pending, line)
}

// EventLoop leaves its loop through a labeled break; cleanup is deferred
// before the loop and per-event work is scoped by a literal.
func EventLoop(events <-chan string, done <-chan struct{}, handle func(string)) int {
	var mu sync.Mutex
	handled := 0
	defer log.Print("event loop stopped")
loop:
	for {
		select {
		case <-done:
			break loop
		case ev, ok := <-events:
			if !ok {
				break loop
			}
			func() {
				mu.Lock()
				defer mu.Unlock()
				handle(ev)
				handled++
			}()
		}
	}
	return handled
}

// DrainUntilClosed ranges over a channel; each item's lock is scoped.
func DrainUntilClosed(ch <-chan int, mu *sync.Mutex, sink map[int]int) {
	for v := range ch {
		func() {
			mu.Lock()
			defer mu.Unlock()
			sink[v]++
		}()
	}
}

// SpinWorker runs for true {} but defers only inside the literal.
func SpinWorker(next func() (func() error, func())) {
	for true {
		task, release := next()
		func() {
			defer release()
			if err := task(); err != nil {
				log.Printf("task: %v", err)
			}
		}()
	}
}

// ---------------------------------------------------------------------------
// Loop variables (module is go 1.22: per-iteration semantics)

// SquareAll captures a three-clause loop variable declared by the loop.
func SquareAll(xs []int) []int {
	out := make([]int, len(xs))
	var wg sync.WaitGroup
	for i := 0; i < len(xs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = xs[i] * xs[i]
		}()
	}
	wg.Wait()
	return out
}

// ApplyAll captures range key and value.
func ApplyAll(m map[string]string, apply func(k, v string)) {
	var wg sync.WaitGroup
	for k, v := range m {
		wg.Add(1)
		go func() {
			defer wg.Done()
			apply(k, v)
		}()
	}
	wg.Wait()
}

// PingN ranges over an int and captures the variable.
func PingN(n int, ping func(int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = ping(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// UpperUntilBlank reuses i after the loop (hence declared outside) and
// passes it to the goroutine as an argument.
func UpperUntilBlank(parts []string) ([]string, int) {
	out := make([]string, len(parts))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(parts); i++ {
		if parts[i] == "" {
			break
		}
		wg.Add(1)
		go func(idx int) {
			defer wg.Done()
			out[idx] = strings.ToUpper(parts[idx])
		}(i)
	}
	wg.Wait()
	return out[:i], i
}

// TrimUntil shadows an outside-declared loop variable with a copy.
func TrimUntil(lines []string, stop string) ([]string, int) {
	out := make([]string, len(lines))
	var wg sync.WaitGroup
	var n int
	for n = 0; n < len(lines) && lines[n] != stop; n++ {
		n := n
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[n] = strings.TrimSpace(lines[n])
		}()
	}
	wg.Wait()
	return out[:n], n
}

// CloseUntilNil assigns an outside variable in the loop header (it is the
// result), but each goroutine only reads a per-iteration copy of the element.
func CloseUntilNil(closers []io.Closer, logger *log.Logger) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(closers) && closers[i] != nil; i++ {
		c := closers[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Close(); err != nil {
				logger.Printf("close: %v", err)
			}
		}()
	}
	wg.Wait()
	return i
}

// ProbeSizes uses an outside-declared loop variable from a literal that is
// called synchronously, not deferred or started as a goroutine.
func ProbeSizes(maxSize int, try func(int) bool) int {
	var size int
	for size = 1; size <= maxSize; size *= 2 {
		ok := func() bool {
			return try(size)
		}()
		if !ok {
			break
		}
	}
	return size / 2
}

// ---------------------------------------------------------------------------
// Real hazards

// LoadTemplates reads every template file.
func LoadTemplates(paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		out[filepath.Base(p)] = string(b)
	}
	return out, nil
}

// ProbeAll probes every target concurrently.
func ProbeAll(ctx context.Context, targets []string, probe func(context.Context, string) error) []error {
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(targets); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = probe(ctx, targets[i])
		}()
	}
	wg.Wait()
	return errs
}
