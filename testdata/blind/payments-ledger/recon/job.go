// Package recon reconciles ledger balances against the balances reported by
// the bank, one goroutine per account.
package recon

import (
	"context"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"sort"
	"sync"
	"text/tabwriter"

	"example.com/payments/ledger"
)

// BalanceSource is the books side (the ledger).
type BalanceSource interface {
	Balance(ctx context.Context, id ledger.AccountID) (ledger.Amount, error)
}

// StatementSource is the bank side.
type StatementSource interface {
	StatementBalance(ctx context.Context, id ledger.AccountID) (ledger.Amount, error)
}

// Mismatch is an account whose books and statement disagree.
type Mismatch struct {
	Account   ledger.AccountID
	Ledger    ledger.Amount
	Statement ledger.Amount
}

// Delta is what the books miss compared to the bank.
func (m Mismatch) Delta() ledger.Amount { return m.Statement - m.Ledger }

// Report is the outcome of a run.
type Report struct {
	Checked    int
	Mismatches []Mismatch
	Failed     map[ledger.AccountID]error
}

// WriteText prints the report as an aligned table.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "checked\t%d\nmismatched\t%d\nfailed\t%d\n\n", r.Checked, len(r.Mismatches), len(r.Failed))
	fmt.Fprintln(tw, "account\tledger\tstatement\tdelta")
	for _, m := range r.Mismatches {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Account, m.Ledger, m.Statement, m.Delta())
	}
	failed := make([]string, 0, len(r.Failed))
	for id := range r.Failed {
		failed = append(failed, string(id))
	}
	sort.Strings(failed)
	for _, id := range failed {
		fmt.Fprintf(tw, "%s\tERROR\t%v\t\n", id, r.Failed[ledger.AccountID(id)])
	}
	return tw.Flush()
}

// Job reconciles a set of accounts.
type Job struct {
	books   BalanceSource
	bank    StatementSource
	log     *log.Logger
	workers int
	stats   *Stats
	notify  func() // optional, set by WithNotifier
}

// WithNotifier makes the job call fn when a nightly run is over, e.g. to
// ping the dead man's switch.
func (j *Job) WithNotifier(fn func()) *Job {
	j.notify = fn
	return j
}

// NewJob returns a job; workers bounds Stream's concurrency.
func NewJob(books BalanceSource, bank StatementSource, logger *log.Logger, workers int) *Job {
	if workers < 1 {
		workers = 1
	}
	return &Job{books: books, bank: bank, log: logger, workers: workers, stats: NewStats()}
}

func (j *Job) checkAccount(ctx context.Context, id ledger.AccountID) (*Mismatch, error) {
	books, err := j.books.Balance(ctx, id)
	if err != nil {
		j.stats.add(0, 0, 1)
		return nil, fmt.Errorf("recon: ledger balance of %s: %w", id, err)
	}
	bank, err := j.bank.StatementBalance(ctx, id)
	if err != nil {
		j.stats.add(0, 0, 1)
		return nil, fmt.Errorf("recon: statement balance of %s: %w", id, err)
	}
	if books == bank {
		j.stats.add(1, 0, 0)
		return nil, nil
	}
	j.stats.add(1, 1, 0)
	return &Mismatch{Account: id, Ledger: books, Statement: bank}, nil
}

func (j *Job) aggregate(ids []ledger.AccountID, found []*Mismatch, errs []error) Report {
	rep := Report{Failed: make(map[ledger.AccountID]error)}
	for i, id := range ids {
		switch {
		case errs[i] != nil:
			rep.Failed[id] = errs[i]
		case found[i] != nil:
			rep.Checked++
			rep.Mismatches = append(rep.Mismatches, *found[i])
		default:
			rep.Checked++
		}
	}
	return rep
}

// Run checks every account in its own goroutine and waits for all of them.
func (j *Job) Run(ctx context.Context, ids []ledger.AccountID) (Report, error) {
	found := make([]*Mismatch, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			found[i], errs[i] = j.checkAccount(ctx, id)
		}()
	}
	wg.Wait()
	return j.aggregate(ids, found, errs), ctx.Err()
}

// Stream checks accounts with a bounded pool and streams the mismatches. The
// channel is closed when every account was checked or ctx ended.
func (j *Job) Stream(ctx context.Context, ids []ledger.AccountID) <-chan Mismatch {
	out := make(chan Mismatch)
	go func() {
		defer close(out)
		todo := make(chan ledger.AccountID)
		var wg sync.WaitGroup
		for w := 0; w < j.workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range todo {
					m, err := j.checkAccount(ctx, id)
					if err != nil || m == nil {
						continue
					}
					select {
					case out <- *m:
					case <-ctx.Done():
						return
					}
				}
			}()
		}
	feed:
		for _, id := range ids {
			select {
			case todo <- id:
			case <-ctx.Done():
				break feed
			}
		}
		close(todo)
		wg.Wait()
	}()
	return out
}

// RunReport runs the job and writes the report to w.
func (j *Job) RunReport(ctx context.Context, ids []ledger.AccountID, w io.Writer) error {
	defer j.stats.Snapshot().Log(j.log) // HAZ defer-call-chain
	rep, err := j.Run(ctx, ids)
	if err != nil {
		return err
	}
	return rep.WriteText(w)
}

// Failures checks accounts concurrently and returns only the errors, for the
// health check of the bank connector.
func (j *Job) Failures(ctx context.Context, ids []ledger.AccountID) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			if _, err := j.checkAccount(ctx, id); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// Spot checks a random sample of n accounts, for the hourly canary.
func (j *Job) Spot(ctx context.Context, ids []ledger.AccountID, n int, rng *rand.Rand) []Mismatch {
	if n > len(ids) {
		n = len(ids)
	}
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Mismatch
	)
	for _, k := range rng.Perm(len(ids))[:n] {
		id := ids[k]
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := j.checkAccount(ctx, id)
			if err != nil {
				j.log.Printf("recon: spot check %s: %v", id, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if m != nil {
				mu.Lock()
				out = append(out, *m)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// RunSafe is Run for the nightly cron: it must report a failure as an error,
// never crash the process.
func (j *Job) RunSafe(ctx context.Context, ids []ledger.AccountID) (rep Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recon: panic: %v", r)
		}
	}()
	type outcome struct {
		i   int
		m   *Mismatch
		err error
	}
	results := make(chan outcome, len(ids))
	for i, id := range ids {
		go func() { // HAZ goroutine-outside-recover
			m, err := j.checkAccount(ctx, id)
			results <- outcome{i: i, m: m, err: err}
		}()
	}
	found := make([]*Mismatch, len(ids))
	errs := make([]error, len(ids))
	for range ids {
		o := <-results
		found[o.i], errs[o.i] = o.m, o.err
	}
	return j.aggregate(ids, found, errs), nil
}

// RunGuarded is Run for bank adapters known to panic on malformed statements:
// a panic while checking one account becomes that account's error.
func (j *Job) RunGuarded(ctx context.Context, ids []ledger.AccountID) (rep Report, err error) {
	if j.notify != nil {
		defer j.notify()
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recon: aggregating report: %v", r)
		}
	}()
	found := make([]*Mismatch, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer j.recoverInto(id, &errs[i])
			found[i], errs[i] = j.checkAccount(ctx, id)
		}()
	}
	wg.Wait()
	return j.aggregate(ids, found, errs), nil
}

// recoverInto turns a panic of the calling goroutine into *errp.
func (j *Job) recoverInto(id ledger.AccountID, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("recon: panic checking %s: %v", id, r)
		j.stats.add(0, 0, 1)
	}
}

// CheckShards reconciles pre-partitioned shards in parallel and stops
// launching new shards once ctx is cancelled.
func (j *Job) CheckShards(ctx context.Context, shards [][]ledger.AccountID) []Report {
	reports := make([]Report, len(shards))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			reports[i], _ = j.Run(ctx, shards[i])
		}()
	}
	if i < len(shards) {
		j.log.Printf("recon: cancelled after launching %d of %d shards", i, len(shards))
	}
	wg.Wait()
	return reports
}

// CheckShardsSequentially is the fallback used when the bank rate-limits us:
// one shard after the other, each shard still fanned out by Run.
func (j *Job) CheckShardsSequentially(ctx context.Context, shards [][]ledger.AccountID) ([]Report, error) {
	reports := make([]Report, 0, len(shards))
	for i := 0; i < len(shards); i++ {
		rep, err := j.Run(ctx, shards[i])
		if err != nil {
			return reports, fmt.Errorf("recon: shard %d: %w", i, err)
		}
		reports = append(reports, rep)
	}
	return reports, nil
}

// Nightly is the cron entry point: a guarded run whose report goes to w.
func (j *Job) Nightly(ctx context.Context, ids []ledger.AccountID, w io.Writer) error {
	defer j.notify() // HAZ defer-nil-func
	rep, err := j.RunGuarded(ctx, ids)
	if err != nil {
		return err
	}
	return rep.WriteText(w)
}

// FirstMismatch checks accounts in parallel and returns as soon as one
// disagrees, for the gate in front of settlement.
func (j *Job) FirstMismatch(ctx context.Context, ids []ledger.AccountID) (*Mismatch, error) {
	type outcome struct {
		m   *Mismatch
		err error
	}
	results := make(chan outcome, len(ids))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			m, err := j.checkAccount(ctx, id)
			results <- outcome{m: m, err: err}
		}()
	}
	for range ids {
		o := <-results
		if o.err != nil {
			return nil, o.err
		}
		if o.m != nil {
			return o.m, nil
		}
	}
	return nil, nil
}

// guard runs fn for one account and logs, rather than propagates, a panic.
func (j *Job) guard(id ledger.AccountID, fn func()) {
	defer func() {
		logIt := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				j.log.Printf("recon: panic while checking %s: %v", id, r)
			}
		}
		logIt()
	}()
	fn()
}
