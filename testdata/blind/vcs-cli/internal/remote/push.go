// Package remote implements push: uploading objects to a vcs-serve remote
// and moving its refs.
package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/progress"
	"example.com/vcscli/internal/refs"
)

// Progress is a snapshot of a push.
type Progress struct {
	Objects int
	Bytes   int64
	Refs    int
}

// Print writes the summary shown at the end of `vcs push`.
func (p Progress) Print(w io.Writer) {
	fmt.Fprintf(w, "Pushed %d objects (%d bytes), updated %d refs\n", p.Objects, p.Bytes, p.Refs)
}

// Pusher uploads to one remote.
type Pusher struct {
	base   string
	token  string
	hc     *http.Client
	store  *object.Store
	meter  *progress.Meter
	logger *log.Logger

	mu      sync.Mutex
	sent    map[object.ID]bool
	updates map[string]object.ID
	stats   Progress
}

// NewPusher returns a pusher for the remote at base.
func NewPusher(base, token string, store *object.Store, meter *progress.Meter, logger *log.Logger) *Pusher {
	return &Pusher{
		base:   strings.TrimRight(base, "/"),
		token:  token,
		hc:     &http.Client{Timeout: time.Minute},
		store:  store,
		meter:  meter,
		logger: logger,
		sent:   make(map[object.ID]bool),
	}
}

func (p *Pusher) request(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, p.base+"/"+path, body)
	if err != nil {
		return nil, err
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return p.hc.Do(req)
}

// Progress returns a snapshot of the counters.
func (p *Pusher) Progress() Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// send uploads one object as a single-object pack.
func (p *Pusher) send(ctx context.Context, id object.ID, kind object.Kind, data []byte) error {
	body := fmt.Sprintf("%s %d\n", kind, len(data))
	resp, err := p.request(ctx, http.MethodPost, "receive", io.MultiReader(strings.NewReader(body), bytes.NewReader(data)))
	if err != nil {
		return fmt.Errorf("push %s: %w", id.Short(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		return fmt.Errorf("push %s: %s: %s", id.Short(), resp.Status, bytes.TrimSpace(msg))
	}
	p.mu.Lock()
	p.sent[id] = true
	p.stats.Objects++
	p.stats.Bytes += int64(len(data))
	p.mu.Unlock()
	return nil
}

// uploadOne sends id unless it was already sent.
func (p *Pusher) uploadOne(ctx context.Context, id object.ID) error {
	p.mu.Lock()
	done := p.sent[id]
	p.mu.Unlock()
	if done {
		return nil
	}
	kind, data, err := p.store.Read(id)
	if err != nil {
		return err
	}
	return p.send(ctx, id, kind, data)
}

// recordRef queues a ref update for the final step of the push.
func (p *Pusher) recordRef(name string, id object.ID) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.updates == nil {
		p.updates = make(map[string]object.ID)
	}
	if prev, ok := p.updates[name]; ok && prev != id {
		return fmt.Errorf("push: %s given twice with different targets", name)
	}
	p.updates[name] = id
	p.mu.Unlock()
	return nil
}

// UploadAll sends ids with one goroutine per object.
func (p *Pusher) UploadAll(ctx context.Context, ids []object.ID) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := p.uploadOne(ctx, id); err != nil {
				errs <- err
			}
		}()
		p.meter.Add(1)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// UploadBatch sends ids, reading each from the store in its goroutine.
func (p *Pusher) UploadBatch(ctx context.Context, ids []object.ID) error {
	var wg sync.WaitGroup
	results := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func(id object.ID) {
			kind, data, err := p.store.Read(id)
			if err != nil {
				results <- err
				return
			}
			results <- p.send(ctx, id, kind, data)
			wg.Done() // HAZ waitgroup-done-path
		}(id)
	}
	wg.Wait()
	close(results)
	var all []error
	for err := range results {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// UploadStream sends ids concurrently and stops at the first failure.
func (p *Pusher) UploadStream(ctx context.Context, ids []object.ID) (int, error) {
	done := make(chan object.ID, len(ids))
	defer close(done) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(ids))
	for _, id := range ids {
		go func(id object.ID) {
			if err := p.uploadOne(ctx, id); err != nil {
				errc <- err
				return
			}
			done <- id
		}(id)
	}
	n := 0
	for n < len(ids) {
		select {
		case <-done:
			n++
		case err := <-errc:
			return n, err
		}
	}
	return n, nil
}

// UploadJoined is UploadStream that waits for every upload before it
// returns, so no sender outlives the channels.
func (p *Pusher) UploadJoined(ctx context.Context, ids []object.ID) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func(id object.ID) {
			defer wg.Done()
			if err := p.uploadOne(ctx, id); err != nil {
				errc <- err
				cancel()
			}
		}(id)
	}
	wg.Wait()
	close(errc)
	if err, ok := <-errc; ok {
		return p.Progress().Objects, err
	}
	return p.Progress().Objects, nil
}

// listRemote fetches the remote's refs.
func (p *Pusher) listRemote(ctx context.Context) (map[string]object.ID, error) {
	resp, err := p.request(ctx, http.MethodGet, "info/refs", nil)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := make(map[string]object.ID)
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		hex, name, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		id, err := object.ParseID(hex)
		if err != nil {
			return nil, err
		}
		out[name] = id
	}
	return out, nil
}

// Plan compares local refs with the remote's and returns the ref updates
// that are fast-forwards or creations.
func (p *Pusher) Plan(ctx context.Context, local map[string]object.ID) (map[string]object.ID, error) {
	type listing struct {
		refs map[string]object.ID
		err  error
	}
	ch := make(chan listing)
	go func() {
		remoteRefs, err := p.listRemote(ctx)
		ch <- listing{remoteRefs, err} // HAZ goroutine-blocked-send
	}()
	for name := range local {
		if err := refs.ValidName(name); err != nil {
			return nil, err
		}
	}
	remote := <-ch
	if remote.err != nil {
		return nil, remote.err
	}
	plan := make(map[string]object.ID)
	for name, id := range local {
		if remote.refs[name] != id {
			plan[name] = id
		}
	}
	return plan, nil
}

// lockRemote takes the remote's push lock.
func (p *Pusher) lockRemote(ctx context.Context) error {
	resp, err := p.request(ctx, http.MethodPost, "lock", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("push: remote is locked (%s)", resp.Status)
	}
	return nil
}

// unlockRemote releases the remote's push lock.
func (p *Pusher) unlockRemote(ctx context.Context) {
	resp, err := p.request(ctx, http.MethodDelete, "lock", nil)
	if err != nil {
		p.logger.Printf("push: unlock: %v", err)
		return
	}
	resp.Body.Close()
}

// updateRef moves one remote ref, retrying once if the remote is busy.
func (p *Pusher) updateRef(ctx context.Context, name string, newID, oldID object.ID) error {
	form := url.Values{"ref": {name}, "new": {newID.String()}, "old": {oldID.String()}}.Encode()
	resp, err := p.request(ctx, http.MethodPost, "refs/update", strings.NewReader(form))
	if err != nil {
		return err
	}
	defer resp.Body.Close() // HAZ defer-eager-evaluation
	if resp.StatusCode == http.StatusServiceUnavailable {
		time.Sleep(time.Second)
		resp, err = p.request(ctx, http.MethodPost, "refs/update", strings.NewReader(form))
		if err != nil {
			return err
		}
	}
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("push: update %s: %s", name, resp.Status)
	}
	p.mu.Lock()
	p.stats.Refs++
	p.mu.Unlock()
	return nil
}

// Push uploads objs and then moves the remote refs, holding the remote's
// push lock throughout.
func (p *Pusher) Push(ctx context.Context, updates map[string]object.ID, objs []object.ID) error {
	if err := p.lockRemote(ctx); err != nil {
		return err
	}
	defer p.unlockRemote(ctx) // HAZ defer-blocking-call
	defer p.meter.Phase("Writing objects")()
	if err := p.UploadBatch(ctx, objs); err != nil {
		return err
	}
	for name, id := range updates {
		if err := p.recordRef(name, id); err != nil {
			return err
		}
		if err := p.updateRef(ctx, name, id, object.ZeroID); err != nil {
			return err
		}
	}
	return nil
}

// PushAndReport runs Push and prints the summary to w.
func (p *Pusher) PushAndReport(ctx context.Context, w io.Writer, updates map[string]object.ID, objs []object.ID) error {
	defer p.Progress().Print(w) // HAZ defer-call-chain
	return p.Push(ctx, updates, objs)
}

// ping keeps the remote session alive.
func (p *Pusher) ping(ctx context.Context) {
	resp, err := p.request(ctx, http.MethodHead, "health", nil)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// Run is Push for long pushes: it keeps the session alive while uploading
// and turns an internal panic into an error.
func (p *Pusher) Run(ctx context.Context, updates map[string]object.ID, objs []object.ID) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("push: internal error: %v", r)
		}
	}()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // HAZ goroutine-outside-recover
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				p.ping(ctx)
			}
		}
	}()
	return p.Push(ctx, updates, objs)
}

// VerifyRemote checks that the remote can serve every id.
func (p *Pusher) VerifyRemote(ctx context.Context, ids []object.ID) error {
	for _, id := range ids {
		resp, err := p.request(ctx, http.MethodGet, "objects/"+id.String(), nil)
		if err != nil {
			return err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("push: remote lacks %s (%s)", id.Short(), resp.Status)
		}
		kind, err := object.ParseKind(resp.Header.Get("X-Object-Kind"))
		if err != nil {
			return err
		}
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if object.Hash(kind, data) != id {
			return fmt.Errorf("push: remote copy of %s is corrupt", id.Short())
		}
	}
	return nil
}
