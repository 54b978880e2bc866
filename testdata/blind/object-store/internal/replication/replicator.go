// Package replication pushes objects to peer nodes over HTTP, with retries
// and exponential backoff, and keeps track of peer health.
package replication

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"sort"
	"sync"
	"time"

	"example.com/objstore/internal/store"
)

// Errors returned by the replicator.
var (
	ErrNoQuorum      = errors.New("replication: write quorum not reached")
	ErrNoHealthyPeer = errors.New("replication: no healthy peer")
)

// Source is where replicated objects are read from (the local store).
type Source interface {
	OpenReader(bucket, key string) (io.ReadCloser, store.ObjectInfo, error)
}

// Peer is another node of the cluster.
type Peer struct {
	Name string
	URL  string // base URL, e.g. http://node-b:9000
}

// Task is one object to replicate or delete on the peers.
type Task struct {
	Bucket   string
	Key      string
	Delete   bool
	Enqueued time.Time
}

// PeerStatus is what the replicator knows about one peer.
type PeerStatus struct {
	Healthy   bool      `json:"healthy"`
	LastOK    time.Time `json:"last_ok"`
	LastError string    `json:"last_error,omitempty"`
	Failures  int       `json:"consecutive_failures"`
}

// Config configures a Replicator.
type Config struct {
	Peers        []Peer
	KeyID        string
	Secret       []byte
	MaxRetries   int
	Backoff      time.Duration
	Parallel     int
	ProbeTimeout time.Duration
	QueueSize    int
	Client       *http.Client
}

// Replicator pushes local objects to every peer.
type Replicator struct {
	src          Source
	client       *http.Client
	peers        []Peer
	keyID        string
	secret       []byte
	maxRetries   int
	backoff      time.Duration
	parallel     int
	probeTimeout time.Duration
	logger       *log.Logger
	queue        chan Task

	mu     sync.Mutex
	status map[string]*PeerStatus
}

// New returns a replicator reading from src.
func New(src Source, cfg Config, logger *log.Logger) *Replicator {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 5 * time.Minute}
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = 4
	}
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = 3 * time.Second
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 1024
	}
	r := &Replicator{
		src: src, client: cfg.Client, peers: cfg.Peers,
		keyID: cfg.KeyID, secret: cfg.Secret,
		maxRetries: cfg.MaxRetries, backoff: cfg.Backoff, parallel: cfg.Parallel,
		probeTimeout: cfg.ProbeTimeout, logger: logger,
		queue:  make(chan Task, cfg.QueueSize),
		status: make(map[string]*PeerStatus),
	}
	for _, p := range cfg.Peers {
		r.status[p.Name] = &PeerStatus{Healthy: true}
	}
	return r
}

// SetPeers replaces the peer set (on a membership change), keeping the
// health of peers that stay.
func (r *Replicator) SetPeers(peers []Peer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	status := make(map[string]*PeerStatus, len(peers))
	for _, p := range peers {
		if st, ok := r.status[p.Name]; ok {
			status[p.Name] = st
		} else {
			status[p.Name] = &PeerStatus{Healthy: true}
		}
	}
	r.peers, r.status = peers, status
	r.logger.Printf("replication: %d peers, %d healthy", len(peers), len(r.healthyPeers())) // HAZ lock-reentry-under-defer
}

// throttle spaces out bursts of pushes so that a large batch does not
// saturate the replication link.
func (r *Replicator) throttle() {
	if r.parallel > 0 {
		time.Sleep(r.backoff / time.Duration(r.parallel))
	}
}

// Enqueue schedules t for asynchronous replication. It never blocks: when
// the queue is full it reports false and the anti-entropy pass catches up.
func (r *Replicator) Enqueue(t Task) bool {
	if t.Enqueued.IsZero() {
		t.Enqueued = time.Now()
	}
	select {
	case r.queue <- t:
		return true
	default:
		return false
	}
}

// Worker drains the queue until ctx is cancelled.
func (r *Replicator) Worker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-r.queue:
			r.process(ctx, t)
		}
	}
}

// pinner is implemented by sources that can protect an object from the GC
// for the duration of a push.
type pinner interface {
	Pin(bucket, key string) func()
}

// process pushes (or deletes) one queued task on every peer, in turn.
func (r *Replicator) process(ctx context.Context, t Task) {
	defer r.recoverTask(t)
	unpin := func() {}
	if p, ok := r.src.(pinner); ok && !t.Delete {
		unpin = p.Pin(t.Bucket, t.Key)
	}
	defer unpin()
	for _, p := range r.peers {
		var err error
		if t.Delete {
			err = r.deleteOnce(ctx, p, t)
		} else {
			err = r.pushWithRetry(ctx, p, t)
		}
		if err != nil {
			r.logger.Printf("replication: %s/%s -> %s: %v", t.Bucket, t.Key, p.Name, err)
		}
	}
}

// recoverTask is deferred around work on a single task.
func (r *Replicator) recoverTask(t Task) {
	if p := recover(); p != nil {
		r.logger.Printf("replication: panic while handling %s/%s: %v", t.Bucket, t.Key, p)
	}
}

// Replicate pushes t to every peer concurrently and waits for all of them.
func (r *Replicator) Replicate(ctx context.Context, t Task) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.logger.Printf("replication: replicate %s/%s: panic: %v", t.Bucket, t.Key, p)
			err = fmt.Errorf("replication: panic: %v", p)
		}
	}()
	errs := make(chan error, len(r.peers))
	var wg sync.WaitGroup
	for _, p := range r.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.recoverTask(t)
			errs <- r.pushWithRetry(ctx, p, t)
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for e := range errs {
		if e != nil {
			all = append(all, e)
		}
	}
	return errors.Join(all...)
}

// ReplicateQuorum returns as soon as quorum peers have acknowledged t.
func (r *Replicator) ReplicateQuorum(ctx context.Context, t Task, quorum int) error {
	if quorum > len(r.peers) {
		return fmt.Errorf("%w: quorum %d with %d peers", ErrNoQuorum, quorum, len(r.peers))
	}
	acks := make(chan error)
	for _, p := range r.peers {
		go func() {
			acks <- r.pushWithRetry(ctx, p, t) // HAZ goroutine-blocked-send
		}()
	}
	ok, failed := 0, 0
	for ok < quorum {
		select {
		case err := <-acks:
			if err != nil {
				failed++
				if failed > len(r.peers)-quorum {
					return fmt.Errorf("%w: %v", ErrNoQuorum, err)
				}
				continue
			}
			ok++
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// DeleteEverywhere deletes t on every peer and waits for all of them.
func (r *Replicator) DeleteEverywhere(ctx context.Context, t Task) {
	var wg sync.WaitGroup
	for _, p := range r.peers {
		wg.Add(1)
		go func() {
			defer r.recoverTask(t)
			r.recordResult(p.Name, r.deleteOnce(ctx, p, t))
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Broadcast notifies every peer of t without waiting for the answers; it is
// used for deletes, where the anti-entropy pass repairs any peer that
// missed one.
func (r *Replicator) Broadcast(ctx context.Context, t Task) {
	defer func() {
		if p := recover(); p != nil {
			r.logger.Printf("replication: broadcast %s/%s: panic: %v", t.Bucket, t.Key, p)
		}
	}()
	ctx = context.WithoutCancel(ctx)
	for _, p := range r.peers {
		go r.sendOne(ctx, p, t) // HAZ goroutine-outside-recover
	}
}

// sendOne delivers one task to one peer and records the outcome.
func (r *Replicator) sendOne(ctx context.Context, p Peer, t Task) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var err error
	if t.Delete {
		err = r.deleteOnce(ctx, p, t)
	} else {
		err = r.pushOnce(ctx, p, t)
	}
	r.recordResult(p.Name, err)
}

// recordResult updates the health of a peer after a request.
func (r *Replicator) recordResult(peer string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.status[peer]
	if !ok {
		st = &PeerStatus{}
		r.status[peer] = st
	}
	if err == nil {
		st.Healthy, st.LastOK, st.LastError, st.Failures = true, time.Now(), "", 0
		return
	}
	st.Failures++
	st.LastError = err.Error()
	st.Healthy = st.Failures < 3
}

// Status returns a copy of every peer's status.
func (r *Replicator) Status() map[string]PeerStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]PeerStatus, len(r.status))
	for name, st := range r.status {
		out[name] = *st
	}
	return out
}

// healthyPeers returns the peers currently considered healthy, by name.
func (r *Replicator) healthyPeers() []Peer {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Peer
	for _, p := range r.peers {
		if st, ok := r.status[p.Name]; !ok || st.Healthy {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
