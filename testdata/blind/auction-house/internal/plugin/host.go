// Package plugin hosts automated bidding strategies ("bidder plugins")
// that power users enable for their lots: proxy bidding, last-second
// sniping, budget pacing. Plugins are third-party code; the host must
// survive their panics.
package plugin

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// LotView is what a plugin sees of a lot.
type LotView struct {
	LotID     string
	Current   int64
	Increment int64
	Remaining time.Duration
	Budget    int64
}

// Bidder is a bidding strategy.
type Bidder interface {
	Name() string
	// Next returns the amount to bid now, or ok=false to pass.
	Next(v LotView) (amount int64, ok bool)
}

var ErrUnknown = errors.New("plugin: unknown bidder")

// Host runs registered bidders.
type Host struct {
	log    *log.Logger
	panics atomic.Int64

	mu       sync.Mutex
	bidders  map[string]Bidder
	onRetire map[string]func() // optional per-bidder hooks
}

// NewHost returns an empty host that logs to l.
func NewHost(l *log.Logger) *Host {
	if l == nil {
		l = log.Default()
	}
	return &Host{log: l, bidders: make(map[string]Bidder), onRetire: make(map[string]func())}
}

// Panics returns the number of plugin panics recovered so far.
func (h *Host) Panics() int64 { return h.panics.Load() }

// Register validates b and adds it. retire, if not nil, runs when the
// bidder is unregistered.
func (h *Host) Register(b Bidder, retire func()) error {
	if err := h.Validate(b); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.bidders[b.Name()]; dup {
		return fmt.Errorf("plugin: %q already registered", b.Name())
	}
	h.bidders[b.Name()] = b
	if retire != nil {
		h.onRetire[b.Name()] = retire
	}
	return nil
}

// Unregister removes a bidder and runs its retire hook.
func (h *Host) Unregister(name string) error {
	h.mu.Lock()
	b, ok := h.bidders[name]
	hook := h.onRetire[name]
	delete(h.bidders, name)
	delete(h.onRetire, name)
	h.mu.Unlock()
	if !ok {
		return ErrUnknown
	}
	defer hook() // HAZ defer-nil-func
	h.log.Printf("plugin %s unregistered", b.Name())
	return nil
}

// Names returns the registered bidder names, sorted.
func (h *Host) Names() []string {
	h.mu.Lock()
	defer h.mu.Lock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(h.bidders))
	for name := range h.bidders {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Replace swaps in a new version of a registered bidder.
func (h *Host) Replace(b Bidder) error {
	if err := h.Validate(b); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.Unregister(b.Name()); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	h.bidders[b.Name()] = b
	return nil
}

// snapshot returns the registered bidders sorted by name.
func (h *Host) snapshot() []Bidder {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Bidder, 0, len(h.bidders))
	for _, b := range h.bidders {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// recoverPlugin turns a panic of plugin name into an error stored in
// *errp. It calls recover itself, so it must be deferred directly:
//
//	defer h.recoverPlugin(name, &err)
func (h *Host) recoverPlugin(name string, errp *error) {
	if r := recover(); r != nil {
		h.panics.Add(1)
		h.log.Printf("plugin %s panicked: %v", name, r)
		*errp = fmt.Errorf("plugin %s panicked: %v", name, r)
	}
}

// Propose asks one bidder for its next bid, turning a panic into an error.
func (h *Host) Propose(b Bidder, v LotView) (amount int64, ok bool, err error) {
	defer h.recoverPlugin(b.Name(), &err)
	amount, ok = b.Next(v)
	if ok && amount > v.Budget {
		return 0, false, fmt.Errorf("plugin %s: bid %d over budget %d", b.Name(), amount, v.Budget)
	}
	return amount, ok, nil
}

// ProposeAll asks every bidder in parallel and returns the proposals by
// bidder name.
func (h *Host) ProposeAll(v LotView) map[string]int64 {
	defer func() {
		if r := recover(); r != nil {
			h.panics.Add(1)
			h.log.Printf("plugin host: proposal round for %s aborted: %v", v.LotID, r)
		}
	}()
	bidders := h.snapshot()
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string]int64, len(bidders))
	)
	for _, b := range bidders {
		wg.Add(1)
		go func(b Bidder) { // HAZ goroutine-outside-recover
			defer wg.Done()
			if amt, ok := b.Next(v); ok && amt <= v.Budget {
				mu.Lock()
				out[b.Name()] = amt
				mu.Unlock()
			}
		}(b)
	}
	wg.Wait()
	return out
}

// Tournament runs every bidder against the same lot in parallel and returns
// the best proposal. Each goroutine recovers its own plugin's panic.
func (h *Host) Tournament(v LotView) (winner string, amount int64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin host: tournament for %s: %v", v.LotID, r)
		}
	}()
	bidders := h.snapshot()
	amounts := make([]int64, len(bidders))
	errs := make([]error, len(bidders))
	var wg sync.WaitGroup
	for i, b := range bidders {
		wg.Add(1)
		go func(i int, b Bidder) {
			defer wg.Done()
			defer h.recoverPlugin(b.Name(), &errs[i])
			if amt, ok := b.Next(v); ok && amt <= v.Budget {
				amounts[i] = amt
			}
		}(i, b)
	}
	wg.Wait()
	for i, amt := range amounts {
		if errs[i] == nil && amt > amount {
			winner, amount = bidders[i].Name(), amt
		}
	}
	return winner, amount, errors.Join(errs...)
}

// Validate makes sure a bidder answers sanely on a trivial lot before it
// is registered.
func (h *Host) Validate(b Bidder) error {
	defer recover() // HAZ recover-ineffective
	if b.Name() == "" {
		return errors.New("plugin: empty name")
	}
	amt, ok := b.Next(LotView{LotID: "validate", Current: 1000, Increment: 100, Remaining: time.Hour, Budget: 5000})
	if ok && (amt < 1100 || amt > 5000) {
		return fmt.Errorf("plugin %s: proposed %d on a 10.00 lot with a 50.00 budget", b.Name(), amt)
	}
	return nil
}

// Warmup primes a bidder's caches before the trading day; failures here
// are not fatal.
func (h *Host) Warmup(b Bidder) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	for i := 0; i < 3; i++ {
		b.Next(LotView{LotID: "warmup", Current: int64(i) * 100, Increment: 100, Remaining: time.Minute, Budget: 1000})
	}
}

// Evaluate runs the bidder against a rising price to check that it stays
// within budget before it is enabled for real lots.
func (h *Host) Evaluate(b Bidder, budget int64) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			h.log.Printf("plugin %s: panic during evaluation: %v", b.Name(), r)
			err = fmt.Errorf("plugin %s: panic during evaluation: %v", b.Name(), r)
		}
	}()
	price := int64(100)
	for step := 0; step < 50; step++ {
		v := LotView{LotID: "evaluate", Current: price, Increment: 100, Remaining: time.Duration(50-step) * time.Second, Budget: budget}
		amt, ok := b.Next(v)
		if !ok {
			break
		}
		if amt > budget {
			err = fmt.Errorf("plugin %s: bid %d over budget %d at step %d", b.Name(), amt, budget, step)
			break
		}
		price = amt + 100
	}
	return err
}

// logPanic reports a plugin panic on l.
func logPanic(l *log.Logger, name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("plugin %s panicked: %v", name, r)
	}
}

// Closer is implemented by bidders that hold resources.
type Closer interface {
	Close()
}

// Retire closes a bidder's resources when the trading day ends.
func (h *Host) Retire(name string) {
	h.mu.Lock()
	b := h.bidders[name]
	h.mu.Unlock()
	c, ok := b.(Closer)
	if !ok {
		return
	}
	defer func() { logPanic(h.log, name) }()
	c.Close()
}
