// Package frontier holds the URLs waiting to be crawled. URLs are queued per
// host and hosts are visited round-robin, each no more often than the
// configured delay.
package frontier

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	// ErrClosed is returned by Push after Close, and by Next once the
	// frontier is closed and empty.
	ErrClosed = errors.New("frontier: closed")
	// ErrHostFull is returned when a host already has the maximum number of queued URLs.
	ErrHostFull = errors.New("frontier: host queue full")
)

// Item is one queued URL with the link depth at which it was found.
type Item struct {
	URL   *url.URL
	Depth int
}

type hostQueue struct {
	items  []Item
	nextAt time.Time
}

// Frontier is a set of per-host FIFO queues.
type Frontier struct {
	mu         sync.Mutex
	hosts      map[string]*hostQueue
	order      []string
	pos        int
	pending    int
	delay      time.Duration
	maxPerHost int
	closed     bool
	notify     chan struct{}
}

// New returns an empty frontier.
func New(delay time.Duration, maxPerHost int) *Frontier {
	if maxPerHost <= 0 {
		maxPerHost = 10000
	}
	return &Frontier{
		hosts:      make(map[string]*hostQueue),
		delay:      delay,
		maxPerHost: maxPerHost,
		notify:     make(chan struct{}, 1),
	}
}

// Push queues it behind the other URLs of its host.
func (f *Frontier) Push(it Item) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return ErrClosed
	}
	q := f.queueLocked(it.URL.Host)
	if len(q.items) >= f.maxPerHost {
		return ErrHostFull
	}
	q.items = append(q.items, it)
	f.pending++
	f.signalLocked()
	return nil
}

// queueLocked returns the queue of host, creating it. f.mu must be held.
func (f *Frontier) queueLocked(host string) *hostQueue {
	q, ok := f.hosts[host]
	if !ok {
		q = &hostQueue{}
		f.hosts[host] = q
		f.order = append(f.order, host)
	}
	return q
}

// signalLocked wakes a waiting dispatcher without blocking. f.mu must be held
// and the frontier must not be closed.
func (f *Frontier) signalLocked() {
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

// PushAll queues every URL of items and returns how many were accepted.
func (f *Frontier) PushAll(items []Item) (added int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0
	}
	for _, it := range items {
		if err := f.Push(it); err == nil { // HAZ lock-reentry-under-defer
			added++
		}
	}
	return added
}

// Next returns the next item whose host is due. When no host is due it
// returns a nil item and the time until the earliest one is (negative when
// nothing is queued at all).
func (f *Frontier) Next(now time.Time) (*Item, time.Duration, error) {
	f.mu.Lock() // HAZ lock-leaked-on-return
	if f.closed && f.pending == 0 {
		return nil, 0, ErrClosed
	}
	wait := time.Duration(-1)
	for i := 0; i < len(f.order); i++ {
		host := f.order[(f.pos+i)%len(f.order)]
		q := f.hosts[host]
		if len(q.items) == 0 {
			continue
		}
		if d := q.nextAt.Sub(now); d > 0 {
			if wait < 0 || d < wait {
				wait = d
			}
			continue
		}
		it := q.items[0]
		q.items = q.items[1:]
		q.nextAt = now.Add(f.delay)
		f.pending--
		f.pos = (f.pos + i + 1) % len(f.order)
		f.mu.Unlock()
		return &it, 0, nil
	}
	f.mu.Unlock()
	return nil, wait, nil
}

// Close stops accepting new URLs. Queued URLs are still handed out by Next.
func (f *Frontier) Close() {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed = true
	f.mu.Unlock()
	close(f.notify)
}

// Notify returns a channel that receives a value when a URL is queued and is
// closed when the frontier is closed.
func (f *Frontier) Notify() <-chan struct{} {
	return f.notify
}

// Len returns the number of queued URLs.
func (f *Frontier) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending
}

// drain removes and returns every queued item.
func (f *Frontier) drain() []Item {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Item, 0, f.pending)
	for _, host := range f.order {
		out = append(out, f.hosts[host].items...)
	}
	f.hosts = make(map[string]*hostQueue)
	f.order, f.pos, f.pending = nil, 0, 0
	return out
}

// Absorb moves every URL queued in other into f, e.g. when a crawl shard is
// retired. It returns the number of URLs moved.
func (f *Frontier) Absorb(other *Frontier) int {
	if other == f {
		return 0
	}
	items := other.drain()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0
	}
	for _, it := range items {
		q := f.queueLocked(it.URL.Host)
		q.items = append(q.items, it)
		f.pending++
	}
	if len(items) > 0 {
		f.signalLocked()
	}
	return len(items)
}

// Snapshot is a point-in-time copy of the queued URLs.
type Snapshot struct {
	Items []Item
	Taken time.Time
}

// Snapshot copies the queued URLs.
func (f *Frontier) Snapshot() *Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := &Snapshot{Taken: time.Now(), Items: make([]Item, 0, f.pending)}
	for _, host := range f.order {
		s.Items = append(s.Items, f.hosts[host].items...)
	}
	return s
}

// Save writes the snapshot as "depth url" lines to path, atomically.
func (s *Snapshot) Save(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".frontier-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	for _, it := range s.Items {
		if _, err = fmt.Fprintf(bw, "%d %s\n", it.Depth, it.URL); err != nil {
			tmp.Close()
			return err
		}
	}
	if err = bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadSnapshot reads a file written by Save. A missing file is not an error.
func LoadSnapshot(path string) ([]Item, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var items []Item
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		depth, raw, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok {
			continue
		}
		d, err := strconv.Atoi(depth)
		if err != nil {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		items = append(items, Item{URL: u, Depth: d})
	}
	return items, sc.Err()
}
