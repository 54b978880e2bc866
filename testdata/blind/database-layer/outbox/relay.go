// Package outbox implements the transactional outbox: messages are written in
// the same transaction as the business change and relayed to a publisher
// afterwards.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotPaused is returned by Resume when the relay is running.
var ErrNotPaused = errors.New("outbox: relay is not paused")

// Message is one outbox row.
type Message struct {
	ID      int64
	Topic   string
	Payload []byte
}

// Publisher delivers messages to the broker.
type Publisher interface {
	Publish(ctx context.Context, m Message) error
}

// Config tunes a Relay.
type Config struct {
	BatchSize int
	Interval  time.Duration
}

// Relay moves unsent outbox rows to a Publisher.
type Relay struct {
	db       *sql.DB
	pub      Publisher
	logger   *log.Logger
	batch    int
	interval time.Duration

	paused atomic.Bool
	sent   atomic.Int64
	failed atomic.Int64
	pos    atomic.Int64 // highest message id relayed by Catchup
	ckpt   *checkpoints

	mu     sync.Mutex // guards acks and events
	acks   map[string]func(Message)
	events []string
}

// NewRelay returns a relay over db.
func NewRelay(db *sql.DB, pub Publisher, logger *log.Logger, cfg Config) *Relay {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	return &Relay{
		db:       db,
		pub:      pub,
		logger:   logger,
		batch:    cfg.BatchSize,
		interval: cfg.Interval,
		acks:     make(map[string]func(Message)),
		ckpt:     newCheckpoints(),
	}
}

func (r *Relay) logf(format string, args ...any) {
	if r.logger != nil {
		r.logger.Printf(format, args...)
	}
}

// Schema is the outbox table.
const Schema = "CREATE TABLE IF NOT EXISTS outbox (id INTEGER, topic TEXT, payload BLOB, sent BOOLEAN)"

// Enqueue writes a message inside the caller's transaction.
func Enqueue(ctx context.Context, tx *sql.Tx, topic string, payload []byte) error {
	if topic == "" {
		return errors.New("outbox: topic is required")
	}
	_, err := tx.ExecContext(ctx,
		"INSERT INTO outbox (topic, payload, sent) VALUES (?, ?, ?)", topic, payload, false)
	return err
}

func (r *Relay) fetch(ctx context.Context) ([]Message, error) {
	rows, err := r.db.QueryContext(ctx,
		fmt.Sprintf("SELECT id, topic, payload FROM outbox WHERE sent = ? LIMIT %d", r.batch), false)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var msgs []Message
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.ID, &m.Topic, &m.Payload); err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, rows.Err()
}

func idsOf(msgs []Message) []int64 {
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	return ids
}

func (r *Relay) markSent(ctx context.Context, ids []int64) (err error) {
	if len(ids) == 0 {
		return nil
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	stmt, err := tx.PrepareContext(ctx, "UPDATE outbox SET sent = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		if _, err = stmt.ExecContext(ctx, true, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (r *Relay) record(n int, err error) {
	if err != nil {
		r.failed.Add(int64(n))
		return
	}
	r.sent.Add(int64(n))
}

// Sent returns how many messages were relayed.
func (r *Relay) Sent() int64 {
	return r.sent.Load()
}

// Failed returns how many messages failed to relay.
func (r *Relay) Failed() int64 {
	return r.failed.Load()
}

func (r *Relay) note(event string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, time.Now().Format(time.RFC3339)+" "+event)
}

// Events returns the operator event log.
func (r *Relay) Events() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// RelayOnce relays one batch and returns how many messages were sent.
func (r *Relay) RelayOnce(ctx context.Context) (int, error) {
	if r.Paused() {
		return 0, nil
	}
	msgs, err := r.fetch(ctx)
	if err != nil {
		return 0, err
	}
	sent := make([]int64, 0, len(msgs))
	for _, m := range msgs {
		if err := r.dispatch(ctx, m); err != nil {
			r.logf("outbox: publish %d: %v", m.ID, err)
			continue
		}
		sent = append(sent, m.ID)
	}
	if err := r.markSent(ctx, sent); err != nil {
		return 0, err
	}
	r.record(len(sent), nil)
	return len(sent), nil
}

// Run relays batches every interval until ctx ends.
func (r *Relay) Run(ctx context.Context) error {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		if _, err := r.RelayOnce(ctx); err != nil && !errors.Is(err, context.Canceled) {
			r.logf("outbox: relay: %v", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RunForever is the polling loop of the first relay daemon.
func (r *Relay) RunForever() {
	for {
		rows, err := r.db.Query("SELECT id, topic, payload FROM outbox WHERE sent = ? LIMIT 100", false)
		if err != nil {
			r.logf("outbox: poll: %v", err)
			time.Sleep(r.interval)
			continue
		}
		defer rows.Close() // HAZ defer-in-infinite-loop
		var ids []int64
		for rows.Next() {
			var m Message
			if err := rows.Scan(&m.ID, &m.Topic, &m.Payload); err != nil {
				r.logf("outbox: scan: %v", err)
				continue
			}
			if err := r.pub.Publish(context.Background(), m); err == nil {
				ids = append(ids, m.ID)
			}
		}
		if err := r.markSent(context.Background(), ids); err != nil {
			r.logf("outbox: mark sent: %v", err)
		}
		time.Sleep(r.interval)
	}
}

// Consume stores messages arriving on ch into the outbox, one transaction
// each, until ch is closed.
func (r *Relay) Consume(ch <-chan Message) {
	for m := range ch {
		tx, err := r.db.Begin()
		if err != nil {
			r.logf("outbox: begin: %v", err)
			continue
		}
		defer tx.Rollback() // HAZ defer-in-infinite-loop
		if err := Enqueue(context.Background(), tx, m.Topic, m.Payload); err != nil {
			r.logf("outbox: enqueue %s: %v", m.Topic, err)
			continue
		}
		if err := tx.Commit(); err != nil {
			r.logf("outbox: commit: %v", err)
		}
	}
}

// ConsumeUntil is Consume with a per-message scope and a stop signal.
func (r *Relay) ConsumeUntil(ctx context.Context, ch <-chan Message) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case m, ok := <-ch:
			if !ok {
				return nil
			}
			if err := r.store(ctx, m); err != nil {
				r.logf("outbox: store %s: %v", m.Topic, err)
			}
		}
	}
}

func (r *Relay) store(ctx context.Context, m Message) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := Enqueue(ctx, tx, m.Topic, m.Payload); err != nil {
		return err
	}
	return tx.Commit()
}

// Pause stops relaying until the returned resume func is called.
func (r *Relay) Pause() (resume func()) {
	r.note("paused")
	r.paused.Store(true)
	return func() { r.paused.Store(false) }
}

// Paused reports whether the relay is paused.
func (r *Relay) Paused() bool {
	return r.paused.Load()
}

// Resume restarts a relay paused by an operator.
func (r *Relay) Resume() error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if !r.paused.Load() {
		return ErrNotPaused
	}
	r.paused.Store(false)
	r.events = append(r.events, time.Now().Format(time.RFC3339)+" resumed")
	r.mu.Unlock()
	return nil
}

// Unpause is Resume with the unlock deferred.
func (r *Relay) Unpause() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.paused.Load() {
		return ErrNotPaused
	}
	r.paused.Store(false)
	r.events = append(r.events, time.Now().Format(time.RFC3339)+" resumed")
	return nil
}

// Reindex rewrites sent flags while the relay is paused.
func (r *Relay) Reindex(ctx context.Context) error {
	defer r.Pause() // HAZ defer-func-result-not-called
	_, err := r.db.ExecContext(ctx, "DELETE FROM outbox WHERE sent = ?", true)
	return err
}

// Compact deletes relayed rows while the relay is paused.
func (r *Relay) Compact(ctx context.Context) (int64, error) {
	defer r.Pause()()
	res, err := r.db.ExecContext(ctx, "DELETE FROM outbox WHERE sent = ?", true)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (r *Relay) heartbeat(ctx context.Context) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.logf("outbox: alive, %d relayed", r.Sent())
		}
	}
}

// SafeRun is Run that turns a panic into an error.
func (r *Relay) SafeRun(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("outbox: relay panicked: %v", p)
		}
	}()
	go r.heartbeat(ctx) // HAZ goroutine-outside-recover
	return r.Run(ctx)
}

// RunSupervised is SafeRun with the heartbeat goroutine protected too.
func (r *Relay) RunSupervised(ctx context.Context) (err error) {
	defer r.recoverInto(&err)
	go func() {
		defer r.recoverPanic("heartbeat")
		r.heartbeat(ctx)
	}()
	return r.Run(ctx)
}

func (r *Relay) recoverInto(errp *error) {
	if p := recover(); p != nil {
		*errp = fmt.Errorf("outbox: relay panicked: %v", p)
		r.logf("%v\n%s", *errp, debug.Stack())
	}
}

func (r *Relay) recoverPanic(where string) {
	if p := recover(); p != nil {
		r.logf("outbox: panic in %s: %v\n%s", where, p, debug.Stack())
	}
}
