//go:build go1.21

// This file is shared verbatim with the long-term-support branch, which still builds
// with Go 1.21; the build line keeps it at that language version here too.

package replica

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// notify tells peer that name changed.
func (r *Replicator) notify(ctx context.Context, peer, name string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+peer+"/announce", strings.NewReader(name))
	if err != nil {
		return err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("notify %s: %s", peer, resp.Status)
	}
	return nil
}

// NotifyAll tells every peer about name without waiting for the answers.
func (r *Replicator) NotifyAll(name string) {
	for _, peer := range r.peers {
		go func() { // HAZ loop-var-capture
			ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
			defer cancel()
			if err := r.notify(ctx, peer, name); err != nil {
				r.log.Printf("notify %s: %v", peer, err)
			}
		}()
		r.notified.Add(1)
	}
}

// NotifyMany tells peer about each of names, one goroutine per name.
func (r *Replicator) NotifyMany(peer string, names []string) {
	for _, name := range names {
		name := name
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
			defer cancel()
			if err := r.notify(ctx, peer, url.PathEscape(name)); err != nil {
				r.log.Printf("notify %s about %s: %v", peer, name, err)
			}
		}()
		r.notified.Add(1)
	}
}
