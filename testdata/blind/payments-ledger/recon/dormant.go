//go:build go1.21

// This file is shared verbatim with the old batch host, whose toolchain is
// pinned to go1.21; the build line keeps it compiling with that language
// version everywhere.

package recon

import (
	"context"
	"sync"

	"example.com/payments/ledger"
)

// SweepDormant reconciles accounts without activity this month. They are
// rarely wrong, so the sweep only logs how many it launched and collects the
// mismatches.
func (j *Job) SweepDormant(ctx context.Context, ids []ledger.AccountID) []Mismatch {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Mismatch
	)
	launched := 0
	for _, id := range ids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			m, err := j.checkAccount(ctx, id)
			if err != nil || m == nil {
				return
			}
			mu.Lock()
			out = append(out, *m)
			mu.Unlock()
		}()
		launched++
	}
	j.log.Printf("recon: dormant sweep launched %d checks", launched)
	wg.Wait()
	return out
}

// CheckList checks the given accounts and returns the failures by account.
func (j *Job) CheckList(ctx context.Context, ids []ledger.AccountID) map[ledger.AccountID]error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs = make(map[ledger.AccountID]error)
	)
	for _, id := range ids {
		wg.Add(1)
		go func(id ledger.AccountID) {
			defer wg.Done()
			j.guard(id, func() {
				if _, err := j.checkAccount(ctx, id); err != nil {
					mu.Lock()
					errs[id] = err
					mu.Unlock()
				}
			})
		}(id)
	}
	wg.Wait()
	return errs
}

// PrefetchStatements asks the bank connector for every statement balance so
// that its cache is warm before the nightly run.
func (j *Job) PrefetchStatements(ctx context.Context, ids []ledger.AccountID) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for _, id := range ids {
		id := id
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := j.bank.StatementBalance(ctx, id); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
				j.log.Printf("recon: prefetch %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
	return failed
}

// CheckBatches reconciles consecutive batches of accounts in parallel.
func (j *Job) CheckBatches(ctx context.Context, batches [][]ledger.AccountID) []Report {
	reports := make([]Report, len(batches))
	var wg sync.WaitGroup
	for i := 0; i < len(batches); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			reports[i], _ = j.Run(ctx, batches[i])
		}()
		j.log.Printf("recon: batch %d/%d launched", i+1, len(batches))
	}
	wg.Wait()
	return reports
}
