// Package outbox implements the transactional outbox: events are inserted in
// the same transaction as the ledger change and published afterwards by a
// background publisher.
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"sync"
	"time"
)

const (
	sqlInsert       = "INSERT INTO outbox (topic, payload) VALUES (?, ?)"
	sqlPending      = "SELECT id, topic, payload FROM outbox WHERE sent = 0 ORDER BY id LIMIT ?"
	sqlMarkSent     = "UPDATE outbox SET sent = 1 WHERE id = ?"
	sqlCountPending = "SELECT COUNT(*) FROM outbox WHERE sent = 0"
)

// Execer is satisfied by *sql.DB, *sql.Tx and *sql.Conn.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Enqueue records an event in the caller's transaction.
func Enqueue(ctx context.Context, ex Execer, topic string, v any) error {
	payload, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("outbox: encode %s: %w", topic, err)
	}
	if _, err := ex.ExecContext(ctx, sqlInsert, topic, payload); err != nil {
		return fmt.Errorf("outbox: insert %s: %w", topic, err)
	}
	return nil
}

// Message is one pending event.
type Message struct {
	ID      int64           `json:"id"`
	Topic   string          `json:"topic"`
	Payload json.RawMessage `json:"payload"`
}

// Sink delivers messages to the outside world.
type Sink interface {
	Publish(ctx context.Context, m Message) error
}

// Options configures a Publisher.
type Options struct {
	Batch    int
	Interval time.Duration
	Logger   *log.Logger
}

// Publisher moves pending outbox rows to a Sink.
type Publisher struct {
	db       *sql.DB
	sink     Sink
	batch    int
	interval time.Duration
	log      *log.Logger
	hooks    map[string]func()

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	startMu  sync.Mutex
	started  bool

	mu        sync.Mutex // guards published, lastErr
	published int64
	lastErr   error
}

// NewPublisher returns a stopped publisher.
func NewPublisher(db *sql.DB, sink Sink, opts Options) *Publisher {
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = log.New(io.Discard, "", 0)
	}
	return &Publisher{
		db:       db,
		sink:     sink,
		batch:    opts.Batch,
		interval: opts.Interval,
		log:      opts.Logger,
		hooks:    map[string]func(){},
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
}

// OnPublished registers fn to run after each message of topic is delivered.
// It must be called before Start.
func (p *Publisher) OnPublished(topic string, fn func()) {
	p.hooks[topic] = fn
}

// Start launches the background loop. It is safe to call once.
func (p *Publisher) Start(ctx context.Context) {
	p.startMu.Lock()
	defer p.startMu.Unlock()
	if p.started {
		return
	}
	p.started = true
	go p.loop(ctx)
}

// Stop asks the loop to finish and waits for it, or for ctx.
func (p *Publisher) Stop(ctx context.Context) error {
	p.stopOnce.Do(func() { close(p.stop) })
	p.startMu.Lock()
	started := p.started
	p.startMu.Unlock()
	if !started {
		return nil
	}
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Publisher) loop(ctx context.Context) {
	defer close(p.done)
	defer p.recoverPanic("loop") // ok: the deferred helper calls recover directly
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.stop:
			return
		case <-t.C:
		}
		if n, err := p.PublishBatch(ctx); err != nil {
			p.log.Printf("outbox: published %d, then: %v", n, err)
		}
	}
}

func (p *Publisher) recoverPanic(where string) {
	if r := recover(); r != nil {
		p.log.Printf("outbox: panic in %s: %v\n%s", where, r, debug.Stack())
		p.setErr(fmt.Errorf("outbox: panic in %s: %v", where, r))
	}
}

func (p *Publisher) setErr(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lastErr = err
}

func (p *Publisher) addPublished(n int) {
	p.mu.Lock()
	p.published += int64(n)
	p.mu.Unlock()
}

// Stats returns how many messages were published and the last error.
func (p *Publisher) Stats() (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.published, p.lastErr
}

func scanMessages(rows *sql.Rows) ([]Message, error) {
	var out []Message
	for rows.Next() {
		var m Message
		var payload []byte
		if err := rows.Scan(&m.ID, &m.Topic, &payload); err != nil {
			return nil, err
		}
		m.Payload = payload
		out = append(out, m)
	}
	return out, rows.Err()
}

func (p *Publisher) fetch(ctx context.Context, limit int) ([]Message, error) {
	rows, err := p.db.QueryContext(ctx, sqlPending, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanMessages(rows)
}

func (p *Publisher) markSent(ctx context.Context, id int64) error {
	res, err := p.db.ExecContext(ctx, sqlMarkSent, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		p.log.Printf("outbox: message %d was already marked sent", id)
	}
	return nil
}

// PublishBatch delivers up to one batch of pending messages in order.
func (p *Publisher) PublishBatch(ctx context.Context) (int, error) {
	msgs, err := p.fetch(ctx, p.batch)
	if err != nil {
		return 0, err
	}
	n := 0
	defer func() { p.addPublished(n) }() // ok: reads n at exit
	for _, m := range msgs {
		if err := p.deliver(ctx, m); err != nil {
			return n, fmt.Errorf("deliver %d: %w", m.ID, err)
		}
		if err := p.markSent(ctx, m.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (p *Publisher) deliver(ctx context.Context, m Message) error {
	defer p.hooks[m.Topic]() // HAZ defer-nil-func
	return p.sink.Publish(ctx, m)
}

func (p *Publisher) deliverHooked(ctx context.Context, m Message) error {
	if err := p.sink.Publish(ctx, m); err != nil {
		return err
	}
	if hook, ok := p.hooks[m.Topic]; ok && hook != nil {
		defer hook() // ok: only deferred when present
	}
	return p.markSent(ctx, m.ID)
}

// RunBlocking is the publisher loop of the standalone outboxd binary.
func (p *Publisher) RunBlocking(ctx context.Context) {
	tick := time.NewTicker(p.interval)
	for range tick.C {
		rows, err := p.db.QueryContext(ctx, sqlPending, p.batch)
		if err != nil {
			p.log.Printf("outbox: poll: %v", err)
			continue
		}
		defer rows.Close() // HAZ defer-in-infinite-loop
		msgs, err := scanMessages(rows)
		if err != nil {
			p.log.Printf("outbox: scan: %v", err)
			continue
		}
		for _, m := range msgs {
			if err := p.deliverHooked(ctx, m); err != nil {
				p.log.Printf("outbox: %d: %v", m.ID, err)
				break
			}
		}
	}
}

// RunUntil polls until ctx is done; each poll owns its rows.
func (p *Publisher) RunUntil(ctx context.Context) error {
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		msgs, err := p.fetch(ctx, p.batch) // ok: rows closed inside fetch
		if err != nil {
			p.log.Printf("outbox: poll: %v", err)
			continue
		}
		for _, m := range msgs {
			if err := p.deliverHooked(ctx, m); err != nil {
				p.log.Printf("outbox: %d: %v", m.ID, err)
				break
			}
		}
	}
}

// deliverAll publishes msgs concurrently; order does not matter for the
// audit topics this is used for.
func (p *Publisher) deliverAll(ctx context.Context, msgs []Message) []error {
	errs := make(chan error, len(msgs))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, m := range msgs {
		go func() {
			errs <- p.sink.Publish(ctx, m)
		}()
	}
	var out []error
	for range msgs {
		select {
		case err := <-errs:
			if err != nil {
				out = append(out, err)
			}
		case <-ctx.Done():
			return append(out, ctx.Err())
		}
	}
	return out
}

// DeliverConcurrent publishes msgs concurrently and waits for every sender.
func (p *Publisher) DeliverConcurrent(ctx context.Context, msgs []Message) error {
	errs := make(chan error, len(msgs))
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- p.sink.Publish(ctx, m)
		}()
	}
	wg.Wait()
	close(errs) // ok: all senders have finished
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Broadcast publishes m to several sinks and waits for all of them.
func Broadcast(ctx context.Context, m Message, sinks []Sink) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(sinks))
	for _, s := range sinks {
		wg.Add(1)
		go func() {
			if err := s.Publish(ctx, m); err != nil {
				errs <- err
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Flush publishes one batch in the background while the checkpoint is written.
func (p *Publisher) Flush(ctx context.Context, checkpoint func() error) error {
	errc := make(chan error)
	go func() { // HAZ goroutine-blocked-send
		_, err := p.PublishBatch(ctx)
		errc <- err
	}()
	if err := checkpoint(); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return <-errc
}

// FlushBuffered is Flush with room for the result if nobody waits for it.
func (p *Publisher) FlushBuffered(ctx context.Context, checkpoint func() error) error {
	errc := make(chan error, 1)
	go func() {
		_, err := p.PublishBatch(ctx)
		errc <- err // ok: buffered, never blocks
	}()
	if err := checkpoint(); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return <-errc
}

// PublishTimeout waits at most d for the sink; the sender gives up with ctx.
func (p *Publisher) PublishTimeout(ctx context.Context, m Message, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	res := make(chan error)
	go func() {
		err := p.sink.Publish(ctx, m)
		select {
		case res <- err:
		case <-ctx.Done(): // ok: sender never blocks after the caller left
		}
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Publisher) logPanic(m Message) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		p.log.Printf("outbox: sink panicked on %d: %v", m.ID, r)
	}
}

// safeDeliver shields the publisher from a misbehaving sink.
func (p *Publisher) safeDeliver(ctx context.Context, m Message) error {
	defer func() {
		p.logPanic(m)
	}()
	return p.sink.Publish(ctx, m)
}

// guardedDeliver converts a sink panic into an error.
func (p *Publisher) guardedDeliver(ctx context.Context, m Message) (err error) {
	defer func() {
		if r := recover(); r != nil { // ok: recover called directly by the deferred literal
			err = fmt.Errorf("outbox: sink panicked on %d: %v", m.ID, r)
		}
	}()
	return p.sink.Publish(ctx, m)
}

// Replay redelivers msgs one by one. In strict mode a sink panic stops the
// replay with an error; otherwise it is logged and the replay goes on.
func (p *Publisher) Replay(ctx context.Context, msgs []Message, strict bool) (int, error) {
	for i, m := range msgs {
		var err error
		if strict {
			err = p.guardedDeliver(ctx, m)
		} else {
			err = p.safeDeliver(ctx, m)
		}
		if err != nil {
			return i, err
		}
	}
	return len(msgs), nil
}
