package controller

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Lease is the record stored by the coordination service.
type Lease struct {
	Holder    string        `json:"holder"`
	Acquired  time.Time     `json:"acquired"`
	Renewed   time.Time     `json:"renewed"`
	Duration  time.Duration `json:"duration"`
	Version   int64         `json:"version"`
	Transfers int           `json:"transfers"`
}

func (l Lease) expired(now time.Time) bool {
	return l.Holder == "" || now.After(l.Renewed.Add(l.Duration))
}

var (
	errNoLease   = errors.New("lease: not found")
	errConflict  = errors.New("lease: version conflict")
	errLostLease = errors.New("lease: lost")
)

// LeaseClient talks to the coordination service over HTTP.
type LeaseClient struct {
	Base   string
	Client *http.Client
}

func (lc *LeaseClient) leaseURL(name string) string {
	return lc.Base + "/v1/leases/" + url.PathEscape(name)
}

func (lc *LeaseClient) Get(ctx context.Context, name string) (Lease, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, lc.leaseURL(name), nil)
	if err != nil {
		return Lease{}, err
	}
	resp, err := lc.Client.Do(req)
	if err != nil {
		return Lease{}, err
	}
	defer resp.Body.Close() // ok: after the error check
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return Lease{}, errNoLease
	default:
		return Lease{}, fmt.Errorf("lease: get %s: %s", name, resp.Status)
	}
	var l Lease
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		return Lease{}, fmt.Errorf("lease: decode: %w", err)
	}
	return l, nil
}

// Update writes l if the stored version still equals l.Version.
func (lc *LeaseClient) Update(ctx context.Context, name string, l Lease) error {
	body, err := json.Marshal(l)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, lc.leaseURL(name), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", strconv.FormatInt(l.Version, 10))
	resp, err := lc.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated:
		return nil
	case http.StatusPreconditionFailed:
		return errConflict
	}
	return fmt.Errorf("lease: update %s: %s", name, resp.Status)
}

// ElectorConfig configures leader election.
type ElectorConfig struct {
	Name          string
	Identity      string
	LeaseDuration time.Duration
	RenewDeadline time.Duration
	RetryPeriod   time.Duration

	OnStartedLeading func(ctx context.Context)
	OnStoppedLeading func()
}

// Elector runs leader election against a LeaseClient.
type Elector struct {
	cfg ElectorConfig
	lc  *LeaseClient
	log *log.Logger

	state atomic.Pointer[electorState]
}

type electorState struct {
	observed Lease
	leading  bool
}

func NewElector(cfg ElectorConfig, lc *LeaseClient, l *log.Logger) *Elector {
	return &Elector{cfg: cfg, lc: lc, log: l}
}

func (e *Elector) IsLeader() bool {
	st := e.state.Load()
	return st != nil && st.leading
}

func (e *Elector) setObserved(l Lease, leading bool) {
	prev := e.state.Swap(&electorState{observed: l, leading: leading})
	if prev == nil || prev.leading != leading {
		e.log.Printf("leader: %s leading=%v (holder %q)", e.cfg.Identity, leading, l.Holder)
	}
}

// Run blocks until ctx is done or leadership is lost. While leading, the
// OnStartedLeading callback runs with a context that is cancelled as soon as
// renewal fails.
func (e *Elector) Run(ctx context.Context) error {
	if !e.acquire(ctx) {
		return ctx.Err()
	}
	leaderCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer func() {
		// ok: the release is bounded by its own timeout
		rctx, rcancel := context.WithTimeout(context.Background(), e.cfg.RenewDeadline)
		defer rcancel()
		if err := e.release(rctx); err != nil {
			e.log.Printf("leader: release: %v", err)
		}
	}()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.cfg.OnStartedLeading(leaderCtx)
	}()
	err := e.renewLoop(leaderCtx)
	cancel()
	wg.Wait()
	if e.cfg.OnStoppedLeading != nil {
		e.cfg.OnStoppedLeading()
	}
	return err
}

// RunExclusive runs fn while holding the lease; for one-shot jobs such as
// schema migrations that must not run twice at the same time.
func (e *Elector) RunExclusive(ctx context.Context, fn func(context.Context) error) error {
	if !e.acquire(ctx) {
		return ctx.Err()
	}
	defer e.releaseNow() // HAZ defer-blocking-call
	return fn(ctx)
}

func (e *Elector) acquire(ctx context.Context) bool {
	t := time.NewTicker(e.cfg.RetryPeriod)
	defer t.Stop()
	for {
		if e.tryAcquireOrRenew(ctx) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

func (e *Elector) renewLoop(ctx context.Context) error {
	t := time.NewTicker(e.cfg.RetryPeriod)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			rctx, cancel := context.WithTimeout(ctx, e.cfg.RenewDeadline)
			ok := e.tryAcquireOrRenew(rctx)
			cancel()
			if !ok {
				return errLostLease
			}
		}
	}
}

func (e *Elector) tryAcquireOrRenew(ctx context.Context) bool {
	now := time.Now()
	cur, err := e.lc.Get(ctx, e.cfg.Name)
	switch {
	case errors.Is(err, errNoLease):
		cur = Lease{}
	case err != nil:
		e.log.Printf("leader: get lease: %v", err)
		return false
	}
	if cur.Holder != e.cfg.Identity && !cur.expired(now) {
		e.setObserved(cur, false)
		return false
	}
	next := cur
	if cur.Holder != e.cfg.Identity {
		next.Holder = e.cfg.Identity
		next.Acquired = now
		next.Transfers++
	}
	next.Renewed = now
	next.Duration = e.cfg.LeaseDuration
	if err := e.lc.Update(ctx, e.cfg.Name, next); err != nil {
		e.log.Printf("leader: update lease: %v", err)
		return false
	}
	next.Version++
	e.setObserved(next, true)
	return true
}

func (e *Elector) release(ctx context.Context) error {
	st := e.state.Load()
	if st == nil || st.observed.Holder != e.cfg.Identity {
		return nil
	}
	l := st.observed
	l.Holder = ""
	l.Duration = 0
	err := e.lc.Update(ctx, e.cfg.Name, l)
	e.setObserved(l, false)
	return err
}

// releaseNow deletes the lease so that a standby can take over at once.
func (e *Elector) releaseNow() {
	req, err := http.NewRequest(http.MethodDelete, e.lc.leaseURL(e.cfg.Name), nil)
	if err != nil {
		return
	}
	req.Header.Set("X-Holder", e.cfg.Identity)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.log.Printf("leader: release %s: %v", e.cfg.Name, err)
		return
	}
	resp.Body.Close()
}
