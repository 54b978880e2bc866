package reconcile

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/paymentgateway/internal/ledger"
)

// ErrLocked means another reconciliation run holds the lock file.
var ErrLocked = errors.New("reconcile: another run holds the lock")

// Report is the result of one run.
type Report struct {
	Date          string
	Matched       int
	Discrepancies []Discrepancy
	Totals        map[string]int64
}

// Job reconciles one settlement day.
type Job struct {
	store       *ledger.Store
	settlement  []string
	lockPath    string
	logger      *log.Logger
	partitions  []string
	fetchTimout time.Duration
}

// NewJob returns a job over the given settlement files.
func NewJob(store *ledger.Store, settlement []string, logger *log.Logger) *Job {
	return &Job{store: store, settlement: settlement, logger: logger, fetchTimout: 30 * time.Second}
}

// WithLock makes the job take an exclusive lock file.
func (j *Job) WithLock(path string) *Job {
	j.lockPath = path
	return j
}

// WithPartitions sets the merchant partitions to fetch.
func (j *Job) WithPartitions(parts []string) *Job {
	j.partitions = parts
	return j
}

// AcquireLock creates path exclusively and returns the func that removes it.
func AcquireLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// Match compares ledger balances with settled rows per network reference.
func Match(ledgerAmounts map[string]int64, rows []Row) (int, []Discrepancy) {
	matched := 0
	var out []Discrepancy
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		seen[r.NetworkRef] = true
		got, ok := ledgerAmounts[r.NetworkRef]
		switch {
		case !ok:
			out = append(out, Discrepancy{NetworkRef: r.NetworkRef, Merchant: r.Merchant, Network: r.Amount, Reason: "missing_in_ledger"})
		case got != r.Amount:
			out = append(out, Discrepancy{NetworkRef: r.NetworkRef, Merchant: r.Merchant, Ledger: got, Network: r.Amount, Reason: "amount_mismatch"})
		default:
			matched++
		}
	}
	for ref, amt := range ledgerAmounts {
		if !seen[ref] {
			out = append(out, Discrepancy{NetworkRef: ref, Ledger: amt, Reason: "missing_in_settlement"})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].NetworkRef < out[b].NetworkRef })
	return matched, out
}

func (j *Job) heartbeat(ctx context.Context) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			j.logger.Printf("reconcile: still running")
		}
	}
}

// Run reconciles the settlement files against the ledger. A panic in the
// matching code is turned into an error so the cron wrapper can alert.
func (j *Job) Run(ctx context.Context) (rep *Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reconcile: panic: %v", r)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go j.heartbeat(ctx) // HAZ goroutine-outside-recover
	rows, err := ReadAll(j.settlement)
	if err != nil {
		return nil, err
	}
	amounts, err := j.FetchPartitions(ctx)
	if err != nil {
		return nil, err
	}
	matched, ds := Match(amounts, rows)
	return &Report{Date: time.Now().Format("2006-01-02"), Matched: matched, Discrepancies: ds}, nil
}

// RunGuarded is Run for the HTTP-triggered reconciliation: the background
// goroutine has its own recover.
func (j *Job) RunGuarded(ctx context.Context) (rep *Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reconcile: panic: %v", r)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				j.logger.Printf("reconcile: heartbeat panic: %v", r)
			}
		}()
		j.heartbeat(ctx)
	}()
	rows, err := ReadAll(j.settlement)
	if err != nil {
		return nil, err
	}
	amounts, err := j.fetchSequential(ctx)
	if err != nil {
		return nil, err
	}
	matched, ds := Match(amounts, rows)
	return &Report{Date: time.Now().Format("2006-01-02"), Matched: matched, Discrepancies: ds}, nil
}

// RunExclusive runs the job holding the lock file when one is configured.
func (j *Job) RunExclusive(ctx context.Context) (*Report, error) {
	var release func()
	if j.lockPath != "" {
		var err error
		release, err = AcquireLock(j.lockPath)
		if err != nil {
			return nil, err
		}
	}
	defer release() // HAZ defer-nil-func
	return j.Run(ctx)
}

// RunLocked always takes a lock; release is never nil once deferred.
func (j *Job) RunLocked(ctx context.Context) (*Report, error) {
	release := func() {}
	if j.lockPath != "" {
		r, err := AcquireLock(j.lockPath)
		if err != nil {
			return nil, err
		}
		release = r
	}
	defer release()
	return j.RunGuarded(ctx)
}

func (j *Job) fetchPartition(ctx context.Context, part string) (map[string]int64, error) {
	ctx, cancel := context.WithTimeout(ctx, j.fetchTimout)
	defer cancel()
	entries, err := j.store.EntriesFor(ctx, "merchant:"+part)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(entries))
	for _, e := range entries {
		out[e.ID] += -e.Amount
	}
	return out, nil
}

// FetchPartitions loads ledger amounts for every partition in parallel.
func (j *Job) FetchPartitions(ctx context.Context) (map[string]int64, error) {
	results := make([]map[string]int64, len(j.partitions))
	errs := make([]error, len(j.partitions))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(j.partitions); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results[i], errs[i] = j.fetchPartition(ctx, j.partitions[i])
		}()
	}
	wg.Wait()
	j.logger.Printf("reconcile: fetched %d partitions", i)
	return mergeAmounts(results, errs)
}

// fetchSequential loads the partitions one after another on the calling
// goroutine, so the caller's recover covers it.
func (j *Job) fetchSequential(ctx context.Context) (map[string]int64, error) {
	results := make([]map[string]int64, len(j.partitions))
	errs := make([]error, len(j.partitions))
	for i, part := range j.partitions {
		results[i], errs[i] = j.fetchPartition(ctx, part)
	}
	return mergeAmounts(results, errs)
}

// FetchAll is FetchPartitions with a per-iteration loop variable.
func (j *Job) FetchAll(ctx context.Context) (map[string]int64, error) {
	results := make([]map[string]int64, len(j.partitions))
	errs := make([]error, len(j.partitions))
	var wg sync.WaitGroup
	for i := 0; i < len(j.partitions); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = j.fetchPartition(ctx, j.partitions[i])
		}()
	}
	wg.Wait()
	return mergeAmounts(results, errs)
}

func mergeAmounts(results []map[string]int64, errs []error) (map[string]int64, error) {
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[string]int64)
	for _, m := range results {
		for k, v := range m {
			out[k] += v
		}
	}
	return out, nil
}

// VerifyPartitions checks that every partition can be read, reporting the
// first failure.
func (j *Job) VerifyPartitions(ctx context.Context) error {
	errc := make(chan error, len(j.partitions))
	var wg sync.WaitGroup
	for _, part := range j.partitions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := j.fetchPartition(ctx, part); err != nil {
				errc <- fmt.Errorf("partition %s: %w", part, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// CountPartitions counts readable partitions; the goroutines are joined
// before the channel is closed.
func (j *Job) CountPartitions(ctx context.Context) int {
	ok := make(chan string, len(j.partitions))
	var wg sync.WaitGroup
	for _, part := range j.partitions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := j.fetchPartition(ctx, part); err == nil {
				ok <- part
			}
		}()
	}
	wg.Wait()
	close(ok)
	n := 0
	for range ok {
		n++
	}
	return n
}
