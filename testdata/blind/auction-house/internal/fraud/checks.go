package fraud

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// VelocityCheck rejects bidders who bid more than max times within window
// (bots hammering the engine).
type VelocityCheck struct {
	window time.Duration
	max    int

	mu   sync.Mutex
	seen map[string][]time.Time
}

// NewVelocityCheck returns a velocity check.
func NewVelocityCheck(window time.Duration, max int) *VelocityCheck {
	return &VelocityCheck{window: window, max: max, seen: make(map[string][]time.Time)}
}

func (v *VelocityCheck) Name() string { return "velocity" }

// Inspect records the bid time and rejects it when the bidder is too fast.
func (v *VelocityCheck) Inspect(_ context.Context, b Bid) error {
	v.mu.Lock() // HAZ lock-leaked-on-return
	cutoff := b.At.Add(-v.window)
	recent := v.seen[b.Bidder][:0]
	for _, t := range v.seen[b.Bidder] {
		if t.After(cutoff) {
			recent = append(recent, t)
		}
	}
	if len(recent) >= v.max {
		v.seen[b.Bidder] = recent
		return &Violation{Check: v.Name(), Reason: fmt.Sprintf("%d bids within %s", len(recent), v.window)}
	}
	v.seen[b.Bidder] = append(recent, b.At)
	v.mu.Unlock()
	return nil
}

// ShillCheck rejects bids placed from the network address the seller
// listed the lot from.
type ShillCheck struct {
	mu        sync.RWMutex
	sellerIPs map[string]string // lot ID -> seller IP
}

// NewShillCheck returns an empty shill check.
func NewShillCheck() *ShillCheck {
	return &ShillCheck{sellerIPs: make(map[string]string)}
}

func (s *ShillCheck) Name() string { return "shill" }

// SetSeller records the address a lot was listed from.
func (s *ShillCheck) SetSeller(lot, ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sellerIPs[lot] = ip
}

// Inspect compares the bid's address with the seller's. The lock is
// released by hand before either return.
func (s *ShillCheck) Inspect(_ context.Context, b Bid) error {
	s.mu.RLock()
	ip, ok := s.sellerIPs[b.LotID]
	s.mu.RUnlock()
	if ok && ip != "" && ip == b.IP {
		return &Violation{Check: s.Name(), Reason: "bid from the seller's address " + ip}
	}
	if b.Bidder == b.Seller {
		return &Violation{Check: s.Name(), Reason: "seller bidding on own lot"}
	}
	return nil
}

// CreditCheck rejects bids above the bidder's credit limit, looked up from
// the payments service.
type CreditCheck struct {
	Lookup  func(ctx context.Context, bidder string) (int64, error)
	Timeout time.Duration
}

func (c CreditCheck) Name() string { return "credit" }

// Inspect looks the limit up within c.Timeout.
func (c CreditCheck) Inspect(ctx context.Context, b Bid) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	limit, err := c.Lookup(ctx, b.Bidder)
	if err != nil {
		return fmt.Errorf("credit lookup for %s: %w", b.Bidder, err)
	}
	if b.Amount > limit {
		return &Violation{Check: c.Name(), Reason: fmt.Sprintf("amount %d above limit %d", b.Amount, limit)}
	}
	return nil
}
