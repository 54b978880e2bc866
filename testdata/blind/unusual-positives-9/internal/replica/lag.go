package replica

import (
	"context"
	"encoding/json"
	"net/http"
)

// remoteCount asks peer how many blobs it holds; -1 if it cannot tell.
func (r *Replicator) remoteCount(ctx context.Context, peer string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+peer+"/stats", nil)
	if err != nil {
		return -1
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var st struct{ Blobs int }
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return -1
	}
	return st.Blobs
}

// Lag reports, per peer, how many blobs it is behind the local store. The remote count
// is fetched while the local store is counted; a cancelled ctx skips the peer.
func (r *Replicator) Lag(ctx context.Context) map[string]int {
	lag := make(map[string]int)
peers:
	for _, peer := range r.peers {
		remote := make(chan int)
		go func() { remote <- r.remoteCount(ctx, peer) }() // HAZ goroutine-blocked-send
		local := 0
		for range r.st.All() {
			if ctx.Err() != nil {
				continue peers
			}
			local++
		}
		if n := <-remote; n >= 0 {
			lag[peer] = local - n
		}
	}
	return lag
}

// LagOf is Lag for a single peer; the remote count has a slot of its own, so leaving
// early never strands the goroutine.
func (r *Replicator) LagOf(ctx context.Context, peer string) (int, bool) {
	remote := make(chan int, 1)
	go func() { remote <- r.remoteCount(ctx, peer) }()
	local := 0
	for range r.st.All() {
		if ctx.Err() != nil {
			return 0, false
		}
		local++
	}
	n := <-remote
	if n < 0 {
		return 0, false
	}
	return local - n, true
}
