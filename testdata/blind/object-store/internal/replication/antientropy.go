package replication

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"example.com/objstore/internal/store"
)

// AntiEntropy compares the local inventory of each bucket with the peers'
// manifests and pushes the objects a peer lacks. It catches up on whatever
// the asynchronous queue dropped.
type AntiEntropy struct {
	r       *Replicator
	list    func(bucket, prefix string, limit int) ([]store.ObjectInfo, error)
	buckets func() []string

	// Done, when set, is called after every pass (tests wait on it).
	Done func()
}

// NewAntiEntropy returns an anti-entropy runner over the local listing
// functions.
func NewAntiEntropy(r *Replicator, list func(bucket, prefix string, limit int) ([]store.ObjectInfo, error), buckets func() []string) *AntiEntropy {
	return &AntiEntropy{r: r, list: list, buckets: buckets}
}

// RunOnce compares every bucket with every peer and returns how many
// objects it pushed.
func (a *AntiEntropy) RunOnce(ctx context.Context) (int, error) {
	defer a.Done() // HAZ defer-nil-func
	pushed := 0
	for _, bucket := range a.buckets() {
		local, err := a.list(bucket, "", 0)
		if err != nil {
			return pushed, err
		}
		remote, err := a.fetchManifests(ctx, bucket)
		if err != nil {
			return pushed, err
		}
		for _, p := range a.r.peers {
			missing, stale := store.DiffManifest(local, remote[p.Name])
			pushed += a.push(ctx, p, append(missing, stale...))
		}
	}
	return pushed, nil
}

// push sends objects to one peer; failures are left for the next pass.
func (a *AntiEntropy) push(ctx context.Context, p Peer, objs []store.ObjectInfo) int {
	n := 0
	for _, o := range objs {
		if err := a.r.pushPaced(ctx, p, Task{Bucket: o.Bucket, Key: o.Key}); err != nil {
			a.r.logger.Printf("anti-entropy: %s/%s -> %s: %v", o.Bucket, o.Key, p.Name, err)
			continue
		}
		n++
	}
	return n
}

// pushPaced pushes one object and then pauses, so that a bulk re-sync
// does not saturate the peer.
func (r *Replicator) pushPaced(ctx context.Context, p Peer, t Task) error {
	defer time.Sleep(r.backoff) // HAZ defer-blocking-call
	return r.pushWithRetry(ctx, p, t)
}

func (a *AntiEntropy) manifestRequest(ctx context.Context, p Peer, bucket string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/admin/buckets/"+url.PathEscape(bucket)+"/manifest", nil)
	if err != nil {
		return nil, err
	}
	a.r.sign(req)
	return req, nil
}

// fetchManifests downloads bucket's manifest from every peer.
func (a *AntiEntropy) fetchManifests(ctx context.Context, bucket string) (map[string][]store.ObjectInfo, error) {
	out := make(map[string][]store.ObjectInfo, len(a.r.peers))
	for _, p := range a.r.peers {
		req, err := a.manifestRequest(ctx, p, bucket)
		if err != nil {
			return nil, err
		}
		resp, err := a.r.client.Do(req)
		if err != nil {
			a.r.recordResult(p.Name, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			a.r.recordResult(p.Name, &statusError{peer: p.Name, code: resp.StatusCode})
			continue
		}
		objs, err := decodeManifest(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("anti-entropy: manifest from %s: %w", p.Name, err)
		}
		out[p.Name] = objs
	}
	return out, nil
}

// FirstManifest returns the manifest of whichever peer answers first; the
// admin tool uses it for a quick cluster-wide listing.
func (a *AntiEntropy) FirstManifest(ctx context.Context, bucket string) ([]store.ObjectInfo, error) {
	type answer struct {
		objs []store.ObjectInfo
		err  error
	}
	answers := make(chan answer)
	for _, p := range a.r.peers {
		go func() {
			objs, err := a.fetchOne(ctx, p, bucket)
			answers <- answer{objs: objs, err: err} // HAZ goroutine-blocked-send
		}()
	}
	var errs []error
	for range a.r.peers {
		ans := <-answers
		if ans.err == nil {
			return ans.objs, nil
		}
		errs = append(errs, ans.err)
	}
	return nil, errors.Join(errs...)
}

// fetchOne downloads one peer's manifest.
func (a *AntiEntropy) fetchOne(ctx context.Context, p Peer, bucket string) ([]store.ObjectInfo, error) {
	req, err := a.manifestRequest(ctx, p, bucket)
	if err != nil {
		return nil, err
	}
	resp, err := a.r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &statusError{peer: p.Name, code: resp.StatusCode}
	}
	return decodeManifest(resp.Body)
}

// decodeManifest reads a gzip JSON-lines manifest.
func decodeManifest(r io.Reader) ([]store.ObjectInfo, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	var out []store.ObjectInfo
	for {
		var o store.ObjectInfo
		err := dec.Decode(&o)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
}
