package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Dispatcher sends a campaign to its list (implemented over the pipeline).
type Dispatcher interface {
	Dispatch(ctx context.Context, c *Campaign) error
	DispatchTest(ctx context.Context, c *Campaign, to string) error
}

// Counter reports audience sizes.
type Counter interface {
	ActiveCount(listID string) int
}

// Notifier receives operator notifications (chat, pager...).
type Notifier interface {
	Notify(campaignID, text string)
}

// Scheduler keeps the campaign calendar.
type Scheduler struct {
	dispatch    Dispatcher
	counter     Counter
	notifier    Notifier
	logger      *log.Logger
	tick        time.Duration
	maxAttempts int

	mu        sync.Mutex
	campaigns map[string]*Campaign
	running   map[string]context.CancelFunc
	finish    map[string]func()

	wg       sync.WaitGroup
	failures atomic.Int64
}

// New returns a scheduler that checks the calendar every tick.
func New(d Dispatcher, c Counter, n Notifier, logger *log.Logger, tick time.Duration) *Scheduler {
	return &Scheduler{
		dispatch:    d,
		counter:     c,
		notifier:    n,
		logger:      logger,
		tick:        tick,
		maxAttempts: 3,
		campaigns:   make(map[string]*Campaign),
		running:     make(map[string]context.CancelFunc),
		finish:      make(map[string]func()),
	}
}

// Schedule adds a campaign to the calendar.
func (s *Scheduler) Schedule(c *Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.campaigns[c.ID]; dup {
		return fmt.Errorf("scheduler: campaign %s already scheduled", c.ID)
	}
	c.Status = StatusScheduled
	s.campaigns[c.ID] = c
	return nil
}

// Cancel removes a scheduled campaign or stops a running one.
func (s *Scheduler) Cancel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.campaigns[id]
	if !ok {
		return ErrUnknown
	}
	if stop, running := s.running[id]; running {
		stop()
	}
	c.Status = StatusCancelled
	return nil
}

// Pending returns the campaigns not yet sent, earliest first.
func (s *Scheduler) Pending() []Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Campaign
	for _, c := range s.campaigns {
		if c.Status == StatusScheduled || c.Status == StatusSending {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SendAt.Before(out[j].SendAt) })
	return out
}

// due marks every scheduled campaign whose time has come as sending and
// returns them.
func (s *Scheduler) due(now time.Time) []*Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Campaign
	for _, c := range s.campaigns {
		if c.Status == StatusScheduled && !c.SendAt.After(now) {
			c.Status = StatusSending
			out = append(out, c)
		}
	}
	return out
}

// Run checks the calendar every tick until ctx is cancelled, then waits for
// the campaigns in flight.
func (s *Scheduler) Run(ctx context.Context) error {
	ticker := time.NewTicker(s.tick)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			s.wg.Wait()
			return ctx.Err()
		case now := <-ticker.C:
			for _, c := range s.due(now) {
				s.wg.Add(1)
				go func() {
					defer s.wg.Done()
					s.runCampaign(ctx, c)
				}()
			}
		}
	}
}

// track remembers the cancel func of a running campaign.
func (s *Scheduler) track(id string, cancel context.CancelFunc) {
	s.mu.Lock()
	s.running[id] = cancel
	s.mu.Unlock()
}

// untrack forgets it again.
func (s *Scheduler) untrack(id string) {
	s.mu.Lock()
	delete(s.running, id)
	s.mu.Unlock()
}

// setStatus records a campaign's final state.
func (s *Scheduler) setStatus(id string, st Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.campaigns[id]; ok && c.Status != StatusCancelled {
		c.Status = st
	}
}

// runCampaign sends one campaign and records its final status.
func (s *Scheduler) runCampaign(ctx context.Context, c *Campaign) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer s.logger.Printf("campaign %s: run finished", c.ID)
	s.track(c.ID, cancel)
	err := s.dispatchWithRetry(ctx, c)
	s.untrack(c.ID)
	switch {
	case err == nil:
		s.setStatus(c.ID, StatusSent)
	case errors.Is(err, context.Canceled):
		s.setStatus(c.ID, StatusCancelled)
	default:
		s.logger.Printf("campaign %s: %v", c.ID, err)
		s.setStatus(c.ID, StatusFailed)
	}
}

// dispatchOnce calls the dispatcher; a panic in it is logged, counted and
// returned as an error instead of killing the scheduler.
func (s *Scheduler) dispatchOnce(ctx context.Context, c *Campaign) (err error) {
	defer s.recoverDispatch(c.ID, &err)
	return s.dispatch.Dispatch(ctx, c)
}

// recoverDispatch is deferred by dispatchOnce.
func (s *Scheduler) recoverDispatch(id string, errp *error) {
	if r := recover(); r != nil {
		s.failures.Add(1)
		s.logger.Printf("campaign %s: dispatcher panicked: %v", id, r)
		*errp = fmt.Errorf("campaign %s: dispatcher panic: %v", id, r)
	}
}

// dispatchWithRetry dispatches with exponential backoff, notifying the
// operator about every failed attempt.
func (s *Scheduler) dispatchWithRetry(ctx context.Context, c *Campaign) error {
	var attempt int
	var err error
	for attempt = 1; attempt <= s.maxAttempts; attempt++ {
		if err = s.dispatchOnce(ctx, c); err == nil {
			return nil
		}
		go func() { s.notifier.Notify(c.ID, fmt.Sprintf("attempt %d failed: %v", attempt, err)) }() // HAZ loop-var-capture
		select {
		case <-time.After(backoff(attempt)):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return fmt.Errorf("campaign %s: giving up after %d attempts: %w", c.ID, attempt-1, err)
}

// audienceSize counts the list in the background so that a store busy with
// a large import cannot stall the caller past its deadline.
func (s *Scheduler) audienceSize(ctx context.Context, listID string) (int, error) {
	ch := make(chan int)
	go func() { ch <- s.counter.ActiveCount(listID) }() // HAZ goroutine-blocked-send
	select {
	case n := <-ch:
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Estimate returns the audience of every pending campaign, giving each
// count a second.
func (s *Scheduler) Estimate(ctx context.Context) map[string]int {
	out := make(map[string]int)
	for _, c := range s.Pending() {
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		n, err := s.audienceSize(cctx, c.ListID)
		cancel()
		if err != nil {
			continue
		}
		out[c.ID] = n
	}
	return out
}

// audit writes one structured line about an operator action.
func (s *Scheduler) audit(campaignID, action string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = err.Error()
	}
	s.logger.Printf("audit campaign=%s action=%s outcome=%q", campaignID, action, outcome)
}

// SendTest sends a campaign to a single address for proofreading.
func (s *Scheduler) SendTest(ctx context.Context, id, to string) error {
	var err error
	defer s.audit(id, "test-send", err) // HAZ defer-eager-evaluation
	s.mu.Lock()
	c, ok := s.campaigns[id]
	s.mu.Unlock()
	if !ok {
		err = ErrUnknown
		return err
	}
	err = s.dispatch.DispatchTest(ctx, c, to)
	return err
}

// Reschedule moves a scheduled campaign; the audit line is written with the
// final outcome.
func (s *Scheduler) Reschedule(id string, at time.Time) (err error) {
	defer func() { s.audit(id, "reschedule", err) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.campaigns[id]
	if !ok {
		return ErrUnknown
	}
	if c.Status != StatusScheduled {
		return fmt.Errorf("scheduler: campaign %s is %s", id, c.Status)
	}
	c.SendAt = at
	return nil
}

// RunNow sends a campaign immediately, bypassing the calendar.
func (s *Scheduler) RunNow(ctx context.Context, id string) error {
	defer s.logger.Printf("campaign %s: manual run finished at %s", id, time.Now().Format(time.RFC3339)) // HAZ defer-eager-evaluation
	s.mu.Lock()
	c, ok := s.campaigns[id]
	if ok {
		c.Status = StatusSending
	}
	s.mu.Unlock()
	if !ok {
		return ErrUnknown
	}
	s.runCampaign(ctx, c)
	return nil
}

// Failures returns how many campaign runs panicked.
func (s *Scheduler) Failures() int64 {
	return s.failures.Load()
}
