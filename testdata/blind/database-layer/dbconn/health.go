package dbconn

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// HealthChecker pings a primary periodically and, optionally, its replicas.
type HealthChecker struct {
	db       *DB
	replicas map[string]*DB
	interval time.Duration
	logger   *log.Logger

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// NewHealthChecker returns a checker that pings db every interval.
func NewHealthChecker(db *DB, interval time.Duration, logger *log.Logger) *HealthChecker {
	return &HealthChecker{
		db:       db,
		replicas: make(map[string]*DB),
		interval: interval,
		logger:   logger,
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
}

// AddReplica registers a replica to be checked by Run.
func (h *HealthChecker) AddReplica(name string, db *DB) {
	h.replicas[name] = db
}

// Start runs the check loop in the background until Stop.
func (h *HealthChecker) Start() {
	go h.loop()
}

// Stop ends the loop started by Start and waits for it.
func (h *HealthChecker) Stop() {
	h.stopOnce.Do(func() { close(h.stop) })
	<-h.done
}

func (h *HealthChecker) loop() {
	defer close(h.done)
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			h.checkOnce()
		}
	}
}

func (h *HealthChecker) checkOnce() {
	ctx, cancel := context.WithTimeout(context.Background(), h.interval)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		h.logger.Printf("health: primary ping failed: %v", err)
	}
}

// Run checks the primary until ctx ends, and the replicas in the background.
func (h *HealthChecker) Run(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("dbconn: health checker panicked: %v", p)
			h.logger.Print(err)
		}
	}()
	go h.watchReplicas(ctx) // HAZ goroutine-outside-recover
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			h.checkOnce()
		}
	}
}

// RunGuarded is Run with every goroutine protected by its own recover.
func (h *HealthChecker) RunGuarded(ctx context.Context) (err error) {
	defer h.recoverInto(&err)
	go func() {
		defer h.logPanic("replicas")
		h.watchReplicas(ctx)
	}()
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			h.checkOnce()
		}
	}
}

func (h *HealthChecker) recoverInto(errp *error) {
	if p := recover(); p != nil {
		*errp = fmt.Errorf("dbconn: health checker panicked: %v", p)
		h.logger.Print(*errp)
	}
}

func (h *HealthChecker) logPanic(where string) {
	if p := recover(); p != nil {
		h.logger.Printf("health: panic in %s: %v", where, p)
	}
}

func (h *HealthChecker) watchReplicas(ctx context.Context) {
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, name := range h.replicaNames() {
			if err := h.probe(ctx, h.replicas[name]); err != nil {
				h.logger.Printf("health: replica %s: %v", name, err)
			}
		}
	}
}

func (h *HealthChecker) replicaNames() []string {
	names := make([]string, 0, len(h.replicas))
	for name := range h.replicas {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// probe pings one replica; some drivers panic on a connection that was
// closed underneath them.
func (h *HealthChecker) probe(ctx context.Context, r *DB) error {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			// a replica whose driver blew up will be retried next tick
		}
	}()
	return r.Ping(ctx)
}

// probeLogged is probe done right: the panic becomes an error.
func (h *HealthChecker) probeLogged(ctx context.Context, r *DB) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("dbconn: replica ping panicked: %v", p)
		}
	}()
	return r.Ping(ctx)
}

// ProbeAll pings every replica sequentially with probeLogged.
func (h *HealthChecker) ProbeAll(ctx context.Context) map[string]error {
	out := make(map[string]error, len(h.replicas))
	for _, name := range h.replicaNames() {
		out[name] = h.probeLogged(ctx, h.replicas[name])
	}
	return out
}

func wrapName(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// CheckAll pings every database concurrently and returns the first failure.
func CheckAll(ctx context.Context, dbs map[string]*DB) error {
	errc := make(chan error)
	for name, db := range dbs {
		go func() {
			errc <- wrapName(name, db.Ping(ctx)) // HAZ goroutine-blocked-send
		}()
	}
	for range dbs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// CheckAllBuffered is CheckAll with room for every sender, so returning at
// the first failure leaves no goroutine behind.
func CheckAllBuffered(ctx context.Context, dbs map[string]*DB) error {
	errc := make(chan error, len(dbs))
	for name, db := range dbs {
		go func() {
			errc <- wrapName(name, db.Ping(ctx))
		}()
	}
	for range dbs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// PingAll pings every database concurrently and joins all failures.
func PingAll(ctx context.Context, dbs map[string]*DB) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for name, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Ping(ctx); err != nil {
				mu.Lock()
				errs = append(errs, wrapName(name, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
