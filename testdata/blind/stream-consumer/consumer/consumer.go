package consumer

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"example.com/consumer/broker"
	"example.com/consumer/fetch"
	"example.com/consumer/group"
	"example.com/consumer/metrics"
	"example.com/consumer/offsets"
	"example.com/consumer/retry"
)

// Event reports a partition state change to subscribers.
type Event struct {
	Kind string
	TP   broker.TopicPartition
	At   time.Time
}

// Consumer is one member of a consumer group.
type Consumer struct {
	cfg       Config
	broker    *broker.Broker
	coord     *group.Coordinator
	fetchers  *fetch.Manager
	committer *offsets.Committer
	store     *offsets.FileStore
	dlq       *retry.DeadLetterWriter
	retrier   *retry.Retrier
	handler   retry.Handler
	reg       *metrics.Registry
	log       *log.Logger

	mu        sync.Mutex
	runCtx    context.Context
	assigned  []broker.TopicPartition
	paused    map[broker.TopicPartition]bool
	events    chan Event
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New builds a consumer for the topics of cfg on broker b.
func New(cfg Config, b *broker.Broker, h retry.Handler, logger *log.Logger) (*Consumer, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var parts []broker.TopicPartition
	for _, t := range cfg.Topics {
		n, err := b.Partitions(t)
		if err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			parts = append(parts, broker.TopicPartition{Topic: t, Partition: i})
		}
	}
	dlq, err := retry.NewDeadLetterWriter(cfg.DeadLetterDir, 64<<20)
	if err != nil {
		return nil, err
	}
	c := &Consumer{
		cfg:     cfg,
		broker:  b,
		store:   offsets.NewFileStore(cfg.OffsetsDir),
		dlq:     dlq,
		handler: h,
		reg:     metrics.NewRegistry(),
		log:     logger,
		paused:  make(map[broker.TopicPartition]bool),
		events:  make(chan Event, 64),
	}
	c.committer = offsets.NewCommitter(cfg.Group, offsets.MultiSink{b, c.store}, cfg.CommitInterval.Duration, logger)
	c.retrier = retry.NewRetrier(retry.Backoff{Base: cfg.BackoffBase.Duration, Max: cfg.BackoffMax.Duration, Factor: 2, Jitter: 0.2},
		cfg.MaxAttempts, dlq, logger)
	c.fetchers = fetch.NewManager(b, cfg.Buffer, cfg.FetchBatch, logger)
	c.coord = group.NewCoordinator(cfg.Group, group.RangeAssignor{}, parts, logger)
	c.coord.OnRebalance(c.onRebalance)
	return c, nil
}

// Metrics returns the consumer's metric registry.
func (c *Consumer) Metrics() *metrics.Registry { return c.reg }

// Run joins the group and consumes until ctx is cancelled, then stops the
// fetchers, lets the workers finish and commits a last time.
func (c *Consumer) Run(ctx context.Context) error {
	commitCtx, stopCommits := context.WithCancel(context.Background())
	defer stopCommits()
	commitDone := make(chan error, 1)
	go func() { commitDone <- c.committer.Run(commitCtx) }()

	c.mu.Lock()
	c.runCtx = ctx
	c.mu.Unlock()
	c.coord.Join(c.cfg.MemberID)
	c.dispatch(ctx, c.fetchers.Messages())

	<-ctx.Done()
	c.fetchers.Close()
	c.wg.Wait()
	stopCommits()
	if err := <-commitDone; err != nil {
		return fmt.Errorf("final commit: %w", err)
	}
	return nil
}

// onRebalance moves the fetchers to the new assignment.
func (c *Consumer) onRebalance(gen group.Generation) {
	defer c.reg.Time("rebalance_seconds") // HAZ defer-func-result-not-called
	mine := gen.Assignments[c.cfg.MemberID]
	c.mu.Lock()
	defer c.mu.Unlock()
	if revoked := diff(c.assigned, mine); len(revoked) > 0 {
		c.fetchers.Revoke(revoked)
	}
	c.assigned = append([]broker.TopicPartition(nil), mine...)
	if c.runCtx != nil {
		c.fetchers.Assign(c.runCtx, c.active(), c.position)
	}
	c.log.Printf("generation %d: %d partitions assigned", gen.ID, len(mine))
}

// active returns the assigned partitions that are not paused; c.mu held.
func (c *Consumer) active() []broker.TopicPartition {
	out := make([]broker.TopicPartition, 0, len(c.assigned))
	for _, tp := range c.assigned {
		if !c.paused[tp] {
			out = append(out, tp)
		}
	}
	return out
}

// position is where a partition's fetcher starts: the committed offset.
func (c *Consumer) position(tp broker.TopicPartition) int64 {
	if off, ok := c.broker.Committed(c.cfg.Group, tp); ok {
		return off
	}
	return 0
}

// diff returns the partitions of a that are not in b.
func diff(a, b []broker.TopicPartition) []broker.TopicPartition {
	in := make(map[broker.TopicPartition]bool, len(b))
	for _, tp := range b {
		in[tp] = true
	}
	var out []broker.TopicPartition
	for _, tp := range a {
		if !in[tp] {
			out = append(out, tp)
		}
	}
	return out
}

// dispatch starts the worker goroutines. Starting workers reads handler
// options that come from plugins, so a bad plugin is logged, not fatal.
func (c *Consumer) dispatch(ctx context.Context, in <-chan broker.Message) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Printf("dispatch: %v\n%s", p, debug.Stack())
		}
	}()
	c.reg.Counter("workers_started").Add(int64(c.cfg.Workers))
	for i := 0; i < c.cfg.Workers; i++ {
		c.wg.Add(1)
		go c.worker(ctx, i, in) // HAZ goroutine-outside-recover
	}
}

// worker processes messages until the fetch channel is closed.
func (c *Consumer) worker(ctx context.Context, id int, in <-chan broker.Message) {
	defer c.wg.Done()
	processed := c.reg.Counter("messages_processed")
	for m := range in {
		if err := c.process(ctx, m); err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.Printf("worker %d: %s@%d: %v", id, m.TP(), m.Offset, err)
			continue
		}
		processed.Add(1)
		c.committer.Mark(m.TP(), m.Offset+1)
	}
}

// process runs the handler with retries and times it.
func (c *Consumer) process(ctx context.Context, m broker.Message) error {
	defer c.reg.Time("process_seconds")()
	return c.retrier.Handle(ctx, m, c.handler)
}

// HandleBatch processes messages synchronously, marking offsets as it
// goes. The replay tool and the tests use it.
func (c *Consumer) HandleBatch(ctx context.Context, msgs []broker.Message) error {
	var err error
	defer c.logBatch(len(msgs), err) // HAZ defer-eager-evaluation
	for _, m := range msgs {
		if err = c.process(ctx, m); err != nil {
			return fmt.Errorf("%s@%d: %w", m.TP(), m.Offset, err)
		}
		c.committer.Mark(m.TP(), m.Offset+1)
	}
	return nil
}

func (c *Consumer) logBatch(n int, err error) {
	if err != nil {
		c.reg.Counter("batches_failed").Add(1)
		c.log.Printf("batch of %d failed: %v", n, err)
		return
	}
	c.reg.Counter("batches_ok").Add(1)
}

// Close commits what was processed and closes the dead-letter queue.
func (c *Consumer) Close() error {
	var err error
	c.closeOnce.Do(func() { err = c.shutdown() })
	return err
}

func (c *Consumer) shutdown() error {
	var release func()
	if c.cfg.HoldOnShutdown {
		release = c.holdAssignment()
	}
	defer release() // HAZ defer-nil-func
	return errors.Join(c.committer.Flush(), c.dlq.Close())
}

// holdAssignment keeps the member's partitions reserved while the process
// restarts; the returned func gives them back.
func (c *Consumer) holdAssignment() func() {
	held := c.Assigned()
	c.log.Printf("holding %d partitions for restart", len(held))
	return func() { c.log.Printf("released %d held partitions", len(held)) }
}
