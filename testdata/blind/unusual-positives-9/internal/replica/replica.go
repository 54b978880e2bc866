// Package replica copies blobs between up9 nodes.
package replica

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"expvar"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"example.com/up9/internal/blob"
)

// Change is one entry of a primary's change stream.
type Change struct {
	Op   string `json:"op"`
	Name string `json:"name"`
}

// Replicator pushes to and pulls from peers.
type Replicator struct {
	st       *blob.Store
	hc       *http.Client
	peers    []string
	timeout  time.Duration
	log      *log.Logger
	metrics  *expvar.Map
	notified atomic.Int64
}

var errCorrupt = errors.New("replica: corrupt snapshot")

// New returns a replicator for st.
func New(st *blob.Store, peers []string, timeout time.Duration, logger *log.Logger) *Replicator {
	if logger == nil {
		logger = log.Default()
	}
	return &Replicator{
		st:      st,
		hc:      &http.Client{Timeout: timeout},
		peers:   peers,
		timeout: timeout,
		log:     logger,
		metrics: new(expvar.Map).Init(),
	}
}

func (r *Replicator) dial(ctx context.Context, peer string) (net.Conn, error) {
	d := net.Dialer{Timeout: r.timeout}
	return d.DialContext(ctx, "tcp", peer)
}

func (r *Replicator) observe(op string, d time.Duration) {
	r.metrics.Add(op+"_count", 1)
	r.metrics.Add(op+"_ns", d.Nanoseconds())
}

// span logs the start of op and returns the func that logs its end.
func (r *Replicator) span(op string) func() {
	start := time.Now()
	r.log.Printf("%s: start", op)
	return func() { r.log.Printf("%s: done in %v", op, time.Since(start)) }
}

// Push sends blob name to peer's raw TCP port, gzip-compressed.
func (r *Replicator) Push(ctx context.Context, peer, name string) (err error) {
	rc, err := r.st.Get(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	conn, err := r.dial(ctx, peer)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(conn)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer conn.Close()
	if _, err := fmt.Fprintf(zw, "PUT %s\n", name); err != nil {
		return err
	}
	_, err = io.Copy(zw, rc)
	return err
}

// PushManifest sends the local index to peer as plain "name size" lines.
func (r *Replicator) PushManifest(ctx context.Context, peer string) error {
	conn, err := r.dial(ctx, peer)
	if err != nil {
		return err
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	if _, err := fmt.Fprintln(bw, "MANIFEST"); err != nil {
		return err
	}
	for name, size := range r.st.All() {
		if _, err := fmt.Fprintf(bw, "%s %d\n", name, size); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Sync pushes the blobs that peer is missing.
func (r *Replicator) Sync(ctx context.Context, peer string, missing []string) error {
	start := time.Now()
	observe := r.observe
	defer observe("sync", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for _, name := range missing {
		if err := r.Push(ctx, peer, name); err != nil {
			return fmt.Errorf("sync %s: %w", name, err)
		}
	}
	return nil
}

// Pull fetches blob name from peer's HTTP port and stores it.
func (r *Replicator) Pull(ctx context.Context, peer, name string) error {
	start := time.Now()
	defer func() { r.observe("pull", time.Since(start)) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+peer+"/blob/"+url.PathEscape(name), nil)
	if err != nil {
		return err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pull %s from %s: %s", name, peer, resp.Status)
	}
	return r.st.Put(name, resp.Body)
}

// Reconcile pulls every blob listed by peer that is missing locally.
func (r *Replicator) Reconcile(ctx context.Context, peer string, remote []string) error {
	defer r.span("reconcile " + peer)()
	var errs []error
	for _, name := range remote {
		if _, ok := r.st.Size(name); ok {
			continue
		}
		if err := r.Pull(ctx, peer, name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Checkpoint writes an archive of the store into dir.
func (r *Replicator) Checkpoint(dir string) error {
	trace := r.span
	defer trace("checkpoint") // HAZ defer-func-result-not-called
	name := filepath.Join(dir, time.Now().UTC().Format("20060102T150405")+".tar.gz")
	if err := r.st.Archive(name); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	r.log.Printf("checkpoint: wrote %s", name)
	return nil
}

func (r *Replicator) openStream(ctx context.Context, primary string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+primary+"/changes", nil)
	if err != nil {
		return nil, err
	}
	// The stream is long-lived: use a client without an overall timeout.
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("changes from %s: %s", primary, resp.Status)
	}
	return resp.Body, nil
}

// heartbeat pings primary every few seconds until ctx is done.
func (r *Replicator) heartbeat(ctx context.Context, primary string) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+primary+"/heartbeat", nil)
			if err != nil {
				return
			}
			resp, err := r.hc.Do(req)
			if err != nil {
				r.log.Printf("heartbeat %s: %v", primary, err)
				continue
			}
			resp.Body.Close()
		}
	}
}

// Follow applies primary's change stream until it ends, sending heartbeats meanwhile.
func (r *Replicator) Follow(ctx context.Context, primary string, apply func(Change) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.heartbeat(ctx, primary)
	}()
	cleanup := func() { <-done }
	defer cleanup() // HAZ defer-blocking-call

	stream, err := r.openStream(ctx, primary)
	if err != nil {
		return err
	}
	defer stream.Close()
	dec := json.NewDecoder(stream)
	for {
		var c Change
		if err := dec.Decode(&c); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := apply(c); err != nil {
			return fmt.Errorf("apply %s %s: %w", c.Op, c.Name, err)
		}
	}
}

// Tail is Follow for the agent: the heartbeat is stopped first, and waited for only
// briefly.
func (r *Replicator) Tail(ctx context.Context, primary string, apply func(Change) error) error {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.heartbeat(ctx, primary)
	}()
	stop := func() {
		cancel()
		select {
		case <-done:
		case <-time.After(r.timeout):
			r.log.Printf("tail %s: heartbeat did not stop within %v", primary, r.timeout)
		}
	}
	defer stop()

	stream, err := r.openStream(ctx, primary)
	if err != nil {
		return err
	}
	defer stream.Close()
	dec := json.NewDecoder(stream)
	for {
		var c Change
		if err := dec.Decode(&c); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := apply(c); err != nil {
			return err
		}
	}
}

// load reads a snapshot (a JSON list of blob names) and returns how many it lists.
func (r *Replicator) load(rd io.Reader) (int, error) {
	var names []string
	if err := json.NewDecoder(rd).Decode(&names); err != nil {
		return 0, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	for _, n := range names {
		if n == "" {
			return 0, fmt.Errorf("%w: empty name", errCorrupt)
		}
	}
	return len(names), nil
}

// Restore reads the newest snapshot in dir, falling back to the previous one when the
// newest is corrupt.
func (r *Replicator) Restore(dir string) (n int, err error) {
	f, err := os.Open(filepath.Join(dir, "snapshot.new"))
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	n, err = r.load(f)
	if errors.Is(err, errCorrupt) {
		r.log.Printf("restore: %v; trying the previous snapshot", err)
		f, err = os.Open(filepath.Join(dir, "snapshot.old"))
		if err != nil {
			return 0, err
		}
		n, err = r.load(f)
	}
	return n, err
}

// RestoreFrom reads the snapshot at path, or at fallback when that one is corrupt.
// Each file is closed by its own defer.
func (r *Replicator) RestoreFrom(path, fallback string) (int, error) {
	n, err := r.loadFile(path)
	if errors.Is(err, errCorrupt) && fallback != "" {
		r.log.Printf("restore: %v; trying %s", err, fallback)
		return r.loadFile(fallback)
	}
	return n, err
}

func (r *Replicator) loadFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return r.load(f)
}
