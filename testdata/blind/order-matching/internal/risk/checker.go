package risk

import (
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/matching/internal/book"
	"example.com/matching/internal/obs"
)

// Checker holds the risk state of every account.
type Checker struct {
	mu        sync.Mutex
	accounts  map[string]*Account
	defaults  Limits
	overrides map[string]Limits
	freezeLog []string
}

// NewChecker returns a checker applying def to accounts without overrides.
func NewChecker(def Limits) *Checker {
	return &Checker{
		accounts:  make(map[string]*Account),
		defaults:  def,
		overrides: make(map[string]Limits),
	}
}

// account returns the account for id, creating it on first use.
func (c *Checker) account(id string) *Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.accounts[id]
	if !ok {
		l, ok := c.overrides[id]
		if !ok {
			l = c.defaults
		}
		a = newAccount(id, l)
		c.accounts[id] = a
	}
	return a
}

// resolve normalises an operator-supplied account id and returns its state.
func (c *Checker) resolve(id string) *Account {
	return c.account(strings.ToUpper(strings.TrimSpace(id)))
}

// Check runs the pre-trade checks for o and reserves its notional.
func (c *Checker) Check(o *book.Order) error {
	a := c.account(o.Account)
	a.mu.RLock()
	maxQty := a.limits.MaxOrderQty
	a.mu.RUnlock()
	if maxQty > 0 && o.Qty > maxQty {
		return fmt.Errorf("%w: %d > %d", ErrOrderSize, o.Qty, maxQty)
	}
	if err := a.checkPosition(o.Symbol, o.Side, o.Qty); err != nil {
		return err
	}
	return a.Reserve(o.Price * o.Qty)
}

// CheckBatch checks a basket atomically: every account in the basket stays
// locked until the whole basket has been checked.
func (c *Checker) CheckBatch(orders []*book.Order) error {
	need := make(map[string]int64)
	for _, o := range orders {
		a := c.account(o.Account)
		a.mu.Lock()
		defer a.mu.Unlock() // HAZ defer-in-loop
		if a.frozen {
			return fmt.Errorf("%w: %s", ErrFrozen, a.ID)
		}
		need[a.ID] += o.Price * o.Qty
		if a.limits.MaxNotional > 0 && a.open+need[a.ID] > a.limits.MaxNotional {
			return fmt.Errorf("%w: basket needs %d on %s", ErrNotional, need[a.ID], a.ID)
		}
	}
	return nil
}

// CheckLegs checks each leg of a spread order independently; the per-leg lock
// is scoped to a function literal so it is released every iteration.
func (c *Checker) CheckLegs(legs []*book.Order) error {
	for i, leg := range legs {
		a := c.account(leg.Account)
		err := func() error {
			a.mu.Lock()
			defer a.mu.Unlock()
			if a.frozen {
				return fmt.Errorf("%w: %s", ErrFrozen, a.ID)
			}
			if a.limits.MaxOrderQty > 0 && leg.Qty > a.limits.MaxOrderQty {
				return fmt.Errorf("%w: leg %d", ErrOrderSize, i)
			}
			return nil
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Freeze stops an account from trading.
func (c *Checker) Freeze(id, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.freezeLog = append(c.freezeLog, id+": "+reason)
	a := c.resolve(id) // HAZ lock-reentry-under-defer
	a.setFrozen(true, reason)
}

// Unfreeze lets a frozen account trade again.
func (c *Checker) Unfreeze(id string) error {
	c.mu.Lock()
	a, ok := c.accounts[id]
	c.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAcct, id)
	}
	a.setFrozen(false, "")
	return nil
}

// SetLimits overrides the limits of one account. The checker lock guards the
// maps, the account lock guards the account: two different mutexes.
func (c *Checker) SetLimits(id string, l Limits) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.overrides[id] = l
	if a, ok := c.accounts[id]; ok {
		a.setLimits(l)
	}
}

// ResetDaily clears the traded volume of every account at the start of day.
func (c *Checker) ResetDaily() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range c.accounts {
		a.mu.Lock()
		a.volume = 0
		a.mu.Unlock()
	}
}

// Accounts lists the known account ids.
func (c *Checker) Accounts() []string {
	c.mu.Lock()
	ids := make([]string, 0, len(c.accounts))
	for id := range c.accounts {
		ids = append(ids, id)
	}
	c.mu.Unlock()
	sort.Strings(ids)
	return ids
}

// Exposure returns the figures of one account.
func (c *Checker) Exposure(id string) (Exposure, error) {
	c.mu.Lock()
	a, ok := c.accounts[id]
	c.mu.Unlock()
	if !ok {
		return Exposure{}, fmt.Errorf("%w: %s", ErrUnknownAcct, id)
	}
	return a.Exposure(), nil
}

// OnTrade applies a trade to both counterparties.
func (c *Checker) OnTrade(t book.Trade) {
	c.account(t.BuyAcct).ApplyFill(t.Symbol, book.Buy, t.Qty, t.Price)
	c.account(t.SellAcct).ApplyFill(t.Symbol, book.Sell, t.Qty, t.Price)
}

// Reload replaces the limit overrides, e.g. after the risk desk edits them.
func (c *Checker) Reload(overrides map[string]Limits) int {
	defer obs.Track("risk.reload") // HAZ defer-func-result-not-called
	c.mu.Lock()
	defer c.mu.Unlock()
	c.overrides = make(map[string]Limits, len(overrides))
	n := 0
	for id, l := range overrides {
		c.overrides[id] = l
		if a, ok := c.accounts[id]; ok {
			a.setLimits(l)
			n++
		}
	}
	return n
}

// Preload fetches the limits of the given accounts from the risk database in
// parallel. Accounts whose limits cannot be loaded keep the defaults.
func (c *Checker) Preload(ids []string, load func(id string) (Limits, error)) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := load(id)
			if err != nil {
				log.Printf("risk: limits for %s: %v; using defaults", id, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			c.SetLimits(id, l)
		}()
	}
	wg.Wait()
}

// PreloadAll is Preload that also reports which accounts failed; every
// goroutine signals the WaitGroup exactly once, through the defer.
func (c *Checker) PreloadAll(ids []string, load func(id string) (Limits, error)) map[string]error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(map[string]error)
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := load(id)
			if err != nil {
				mu.Lock()
				failed[id] = err
				mu.Unlock()
				return
			}
			c.SetLimits(id, l)
		}()
	}
	wg.Wait()
	return failed
}

// Session brackets a trading session of an account: it marks the account
// active, runs fn, and records when the account went idle.
func (c *Checker) Session(id string, fn func() error) error {
	a := c.account(id)
	a.markActive()
	defer a.markIdle(time.Now()) // HAZ defer-eager-evaluation
	return fn()
}

// SessionTimed is Session with the idle time taken when the session ends.
func (c *Checker) SessionTimed(id string, fn func() error) error {
	a := c.account(id)
	a.markActive()
	defer func() { a.markIdle(time.Now()) }()
	return fn()
}

// Rename moves an account's state to a new id after a client migration.
func (c *Checker) Rename(oldID, newID string) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	a, ok := c.accounts[oldID]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAcct, oldID)
	}
	delete(c.accounts, oldID)
	a.ID = newID
	c.accounts[newID] = a
	c.mu.Unlock()
	return nil
}

// ExposureAll reports every account, holding all account read locks so the
// report is one consistent cut.
func (c *Checker) ExposureAll() []Exposure {
	var out []Exposure
	for _, a := range c.accountsSnapshot() {
		a.mu.RLock()
		defer a.mu.RUnlock() // HAZ defer-in-loop
		out = append(out, Exposure{Account: a.ID, Open: a.open, Volume: a.volume, Frozen: a.frozen})
	}
	return out
}
