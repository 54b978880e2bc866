package risk

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// PnL is the unrealised profit and loss of one account at given marks.
type PnL struct {
	Account    string
	Unrealised int64
}

// accountsSnapshot copies the account pointers so callers can work on them
// without holding the checker lock.
func (c *Checker) accountsSnapshot() []*Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*Account, 0, len(c.accounts))
	for _, a := range c.accounts {
		out = append(out, a)
	}
	return out
}

// unrealised values the account's positions at marks.
func (a *Account) unrealised(marks map[string]int64) (int64, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var total int64
	for sym, qty := range a.position {
		px, ok := marks[sym]
		if !ok {
			return 0, fmt.Errorf("risk: no mark for %s held by %s", sym, a.ID)
		}
		total += qty * px
	}
	return total, nil
}

// Revalue computes the PnL of every account concurrently and stops at the
// first error or when ctx is done.
func (c *Checker) Revalue(ctx context.Context, marks map[string]int64) ([]PnL, error) {
	accts := c.accountsSnapshot()
	type result struct {
		pnl PnL
		err error
	}
	out := make(chan result, len(accts))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, a := range accts {
		go func() {
			v, err := a.unrealised(marks)
			out <- result{pnl: PnL{Account: a.ID, Unrealised: v}, err: err}
		}()
	}
	pnls := make([]PnL, 0, len(accts))
	for range accts {
		select {
		case r := <-out:
			if r.err != nil {
				return nil, r.err
			}
			pnls = append(pnls, r.pnl)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	sort.Slice(pnls, func(i, j int) bool { return pnls[i].Account < pnls[j].Account })
	return pnls, nil
}

// RevalueAll is Revalue for end-of-day reports: every worker is joined before
// the result channel is closed, so no send can ever hit a closed channel.
func (c *Checker) RevalueAll(marks map[string]int64) ([]PnL, []error) {
	accts := c.accountsSnapshot()
	type result struct {
		pnl PnL
		err error
	}
	out := make(chan result, len(accts))
	var wg sync.WaitGroup
	for _, a := range accts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := a.unrealised(marks)
			out <- result{pnl: PnL{Account: a.ID, Unrealised: v}, err: err}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var (
		pnls []PnL
		errs []error
	)
	for r := range out {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		pnls = append(pnls, r.pnl)
	}
	sort.Slice(pnls, func(i, j int) bool { return pnls[i].Account < pnls[j].Account })
	return pnls, errs
}

// EndOfDay revalues every account, hands the PnL to report, and resets the
// daily counters. A panic is turned into an error so the scheduler survives.
func (c *Checker) EndOfDay(marks map[string]int64, report func([]PnL)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("risk: end of day panicked: %v", r)
		}
	}()
	pnls, errs := c.RevalueAll(marks)
	go report(pnls) // HAZ goroutine-outside-recover
	c.ResetDaily()
	return errors.Join(errs...)
}
