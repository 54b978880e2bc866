// Package replica copies archives to peer nodes.
package replica

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

// Peer is one replication target.
type Peer struct {
	Name string
	URL  string
}

// Replicator pushes archives to its peers.
type Replicator struct {
	peers  []Peer
	hc     *http.Client
	logger *log.Logger
}

// New returns a Replicator for peers.
func New(peers []Peer, logger *log.Logger) *Replicator {
	return &Replicator{peers: peers, hc: &http.Client{Timeout: time.Minute}, logger: logger}
}

// push uploads one archive to one peer.
func (r *Replicator) push(ctx context.Context, p Peer, name string, data []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.URL+"/archives/"+name, bytes.NewReader(data))
	if err != nil {
		return err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s", p.Name, resp.Status)
	}
	return nil
}

// has asks one peer whether it holds an archive.
func (r *Replicator) has(ctx context.Context, p Peer, name string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, p.URL+"/archives/"+name, nil)
	if err != nil {
		return false, err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	return resp.StatusCode == http.StatusOK, nil
}

// Missing returns the peers that do not hold name. This file builds with the
// module's Go 1.22 semantics, so every goroutine sees its own peer.
func (r *Replicator) Missing(ctx context.Context, name string) ([]string, error) {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		missing []string
		errs    []error
	)
	for _, peer := range r.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := r.has(ctx, peer, name)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs = append(errs, err)
			case !ok:
				missing = append(missing, peer.Name)
			}
		}()
	}
	wg.Wait()
	return missing, errors.Join(errs...)
}

// Fastest returns the first peer that confirms it holds name.
func (r *Replicator) Fastest(ctx context.Context, name string) (Peer, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	found := make(chan Peer)
	for _, peer := range r.peers {
		go func() {
			if ok, err := r.has(ctx, peer, name); err == nil && ok {
				found <- peer // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case p := <-found:
		return p, nil
	case <-ctx.Done():
		return Peer{}, fmt.Errorf("replica: no peer confirmed %s: %w", name, ctx.Err())
	}
}

// AnyHolder is Fastest with room in the channel for every peer, so the
// slower answers are dropped into the buffer instead of blocking.
func (r *Replicator) AnyHolder(ctx context.Context, name string) (Peer, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	found := make(chan Peer, len(r.peers))
	for _, peer := range r.peers {
		go func() {
			if ok, err := r.has(ctx, peer, name); err == nil && ok {
				found <- peer
			}
		}()
	}
	select {
	case p := <-found:
		return p, nil
	case <-ctx.Done():
		return Peer{}, fmt.Errorf("replica: no peer confirmed %s: %w", name, ctx.Err())
	}
}
