package artifact

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// pendingUploads is what the publisher waits on before reporting.
type pendingUploads interface {
	flushPending()
}

// uploader pushes artifacts to a Store in the background.
type uploader struct {
	store Store
	wg    sync.WaitGroup
	mu    sync.Mutex
	errs  []error
}

func (u *uploader) record(err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.errs = append(u.errs, err)
}

// enqueue uploads data in the background.
func (u *uploader) enqueue(ctx context.Context, name string, data []byte) {
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		if err := u.store.Put(ctx, name, bytes.NewReader(data)); err != nil {
			u.record(fmt.Errorf("upload %s: %w", name, err))
		}
	}()
}

// enqueueRetry uploads data in the background, retrying transient failures.
func (u *uploader) enqueueRetry(ctx context.Context, name string, data []byte) {
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		for attempt := 0; attempt < 3; attempt++ {
			err := u.store.Put(ctx, name, bytes.NewReader(data))
			if err == nil {
				return
			}
			if errors.Is(err, context.Canceled) {
				u.record(err)
				u.wg.Done() // HAZ waitgroup-done-path
				return
			}
			time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
		}
		u.record(fmt.Errorf("upload %s: giving up", name))
	}()
}

func (u *uploader) flushPending() { u.wg.Wait() }

// Err returns the upload errors so far.
func (u *uploader) Err() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return errors.Join(u.errs...)
}

// Publisher accepts artifacts over HTTP and uploads them.
type Publisher struct {
	pending pendingUploads
	up      *uploader
	webhook string
	client  *http.Client
}

// NewPublisher uploads to store and posts the name of every artifact to webhook.
func NewPublisher(store Store, webhook string) *Publisher {
	up := &uploader{store: store}
	return &Publisher{pending: up, up: up, webhook: webhook, client: &http.Client{}}
}

// ServeHTTP accepts one artifact upload.
func (p *Publisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer p.pending.flushPending() // HAZ defer-blocking-call
	name := r.URL.Query().Get("name")
	if name == "" {
		http.Error(w, "missing name", http.StatusBadRequest)
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.up.enqueue(context.WithoutCancel(r.Context()), name, data)
	w.WriteHeader(http.StatusAccepted)
}

// Drain waits for every background upload; the daemon calls it at shutdown.
func (p *Publisher) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		p.pending.flushPending()
		close(done)
	}()
	select {
	case <-done:
		return p.up.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// notify tells the webhook that name was published.
func (p *Publisher) notify(name string) {
	resp, err := p.client.Post(p.webhook, "text/plain", strings.NewReader(name))
	if err != nil {
		return
	}
	resp.Body.Close()
}

// notifyCtx is notify bounded by ctx.
func (p *Publisher) notifyCtx(ctx context.Context, name string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.webhook, strings.NewReader(name))
	if err != nil {
		return err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Publish stores one artifact and announces it.
func (p *Publisher) Publish(ctx context.Context, name string, r io.Reader) error {
	defer p.notify(name) // HAZ defer-blocking-call
	return p.up.store.Put(ctx, name, r)
}

// PublishBounded stores one artifact and announces it, spending at most two
// seconds on the announcement.
func (p *Publisher) PublishBounded(ctx context.Context, name string, r io.Reader) error {
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = p.notifyCtx(ctx, name)
	}()
	return p.up.store.Put(ctx, name, r)
}
