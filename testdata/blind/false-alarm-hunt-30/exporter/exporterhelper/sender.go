package exporterhelper

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/internal/obsreport"
)

// QueueConfig configures the sending queue.
type QueueConfig struct {
	Enabled      bool
	QueueSize    int
	NumConsumers int
	// MaxInFlight bounds concurrent exports; 0 means unbounded.
	MaxInFlight int
	Timeout     time.Duration
}

// QueueSender puts requests on a bounded queue that NumConsumers goroutines
// drain; Shutdown closes the queue and joins the consumers.
type QueueSender struct {
	cfg     QueueConfig
	queue   *BoundedQueue
	permits *Permits
	retry   RetrySettings
	obs     *obsreport.Recorder
	logger  *log.Logger

	// OnDrop, if set, is told about every request given up on.
	OnDrop func(req Request, reason error)

	wg sync.WaitGroup
}

// NewQueueSender builds a sender; call Start before Send.
func NewQueueSender(cfg QueueConfig, retry RetrySettings, obs *obsreport.Recorder, logger *log.Logger) *QueueSender {
	s := &QueueSender{cfg: cfg, queue: NewBoundedQueue(cfg.QueueSize), retry: retry, obs: obs, logger: logger}
	if cfg.MaxInFlight > 0 {
		s.permits = NewPermits(cfg.MaxInFlight)
	}
	return s
}

// Start launches the consumers.
func (s *QueueSender) Start(_ context.Context, _ component.Host) error {
	for i := 0; i < s.cfg.NumConsumers; i++ {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.consume(i)
		}()
	}
	return nil
}

// Send enqueues req, or exports it synchronously when the queue is disabled.
func (s *QueueSender) Send(ctx context.Context, req Request) error {
	if !s.cfg.Enabled {
		return s.SendSync(ctx, req)
	}
	err := s.queue.Offer(req)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrQueueFull):
		s.obs.Dropped(req.ItemsCount())
		s.drop(req, err)
		return err
	default:
		return err
	}
}

// consume drains the queue until it is closed, with a fresh deadline for
// every request.
func (s *QueueSender) consume(worker int) {
	for req := range s.queue.items {
		func() {
			ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
			defer cancel()
			if err := s.exportOne(ctx, req); err != nil {
				s.logger.Printf("queue consumer %d: %v", worker, err)
				s.drop(req, err)
			}
		}()
	}
}

// exportOne exports req under a permit, turning a panic in the exporter into
// an error so that the consumer survives.
func (s *QueueSender) exportOne(ctx context.Context, req Request) (err error) {
	release := func() {}
	if s.permits != nil {
		r, ok := s.permits.TryAcquire()
		if !ok {
			return fmt.Errorf("no export permit free (max_in_flight=%d)", s.cfg.MaxInFlight)
		}
		release = r
	}
	defer release()
	defer func() {
		if v := recover(); v != nil {
			err = s.obs.PanicAsError("queue export", v)
		}
	}()
	err = s.retry.Do(ctx, req.Export)
	s.obs.EndExport(req.ItemsCount(), err)
	return err
}

// SendSync exports req on the caller's goroutine; used when the queue is
// disabled so that back pressure reaches the receiver.
func (s *QueueSender) SendSync(ctx context.Context, req Request) error {
	var release func()
	if s.permits != nil {
		r, ok := s.permits.TryAcquire()
		if !ok {
			s.obs.Refused(req.ItemsCount())
			return consumer.ErrDataRefused
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	err := s.retry.Do(ctx, req.Export)
	s.obs.EndExport(req.ItemsCount(), err)
	return err
}

// drop tells the OnDrop hook about a request given up on.
func (s *QueueSender) drop(req Request, reason error) {
	if s.OnDrop == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken hook must not take the queue consumer down
		}
	}()
	s.OnDrop(req, reason)
}

// Shutdown closes the queue and waits for the consumers to drain it, up to
// ctx's deadline, then logs the final counters.
func (s *QueueSender) Shutdown(ctx context.Context) error {
	defer s.obs.Snapshot().Log(s.logger) // HAZ defer-call-chain
	s.queue.Close()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("queue sender: %d requests still queued: %w", s.queue.Len(), ctx.Err())
	}
}
