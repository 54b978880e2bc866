// Package auction holds lots in memory and enforces the bidding rules:
// minimum increments, reserves, anti-sniping extensions and closing.
package auction

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Status is the life-cycle state of a lot.
type Status int

const (
	StatusOpen Status = iota
	StatusClosed
	StatusCancelled
)

func (s Status) String() string {
	switch s {
	case StatusOpen:
		return "open"
	case StatusClosed:
		return "closed"
	case StatusCancelled:
		return "cancelled"
	}
	return fmt.Sprintf("status(%d)", int(s))
}

var (
	ErrClosed   = errors.New("auction: lot is not open")
	ErrTooLow   = errors.New("auction: bid too low")
	ErrNotFound = errors.New("auction: no such lot")
	ErrNoBid    = errors.New("auction: bidder has no bid on this lot")
	ErrTooLate  = errors.New("auction: too late to retract")
	ErrFrozen   = errors.New("auction: lot frozen for review")
)

// Lot describes what is being sold. Amounts are in cents. A Lot is
// immutable once the auction is created.
type Lot struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Seller    string `json:"seller"`
	Opening   int64  `json:"opening"`
	Increment int64  `json:"increment"`
}

// Bid is one offer on a lot.
type Bid struct {
	Bidder string    `json:"bidder"`
	Amount int64     `json:"amount"`
	At     time.Time `json:"at"`
}

// Result is the outcome of a closed lot.
type Result struct {
	LotID    string    `json:"lot"`
	Winner   Bid       `json:"winner"`
	Sold     bool      `json:"sold"`
	ClosedAt time.Time `json:"closed_at"`
}

// Watcher is told when next displaces prev as the leading bid.
type Watcher func(prev, next Bid)

// Auction is one lot being sold. The fields below mu are guarded by it.
type Auction struct {
	Lot Lot

	frozen atomic.Bool // set while an operator inspects a dispute

	mu       sync.Mutex
	status   Status
	deadline time.Time
	reserve  int64
	bids     []Bid // strictly increasing amounts
	watchers []Watcher
}

// New opens lot for bidding until deadline with the given reserve price.
func New(lot Lot, reserve int64, deadline time.Time) *Auction {
	if lot.Increment <= 0 {
		lot.Increment = 100
	}
	return &Auction{Lot: lot, status: StatusOpen, deadline: deadline, reserve: reserve}
}

// Deadline returns the current closing time.
func (a *Auction) Deadline() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.deadline
}

// Status returns the current state of the lot.
func (a *Auction) Status() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status
}

// Watch registers fn to be told when a leading bid is beaten.
func (a *Auction) Watch(fn Watcher) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.watchers = append(a.watchers, fn)
}

// leadingLocked returns the highest bid. The caller holds a.mu.
func (a *Auction) leadingLocked() (Bid, bool) {
	if len(a.bids) == 0 {
		return Bid{}, false
	}
	return a.bids[len(a.bids)-1], true
}

// Leading returns the highest bid so far.
func (a *Auction) Leading() (Bid, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.leadingLocked()
}

// minimumLocked is the smallest acceptable next bid. The caller holds a.mu.
func (a *Auction) minimumLocked() int64 {
	if lead, ok := a.leadingLocked(); ok {
		return lead.Amount + a.Lot.Increment
	}
	return a.Lot.Opening
}

// PlaceBid validates and records b. It reports the bid that was leading
// before and whether its bidder has just been outbid.
func (a *Auction) PlaceBid(b Bid) (prev Bid, outbid bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.status != StatusOpen || b.At.After(a.deadline) {
		return Bid{}, false, ErrClosed
	}
	if a.frozen.Load() {
		return Bid{}, false, ErrFrozen
	}
	if min := a.minimumLocked(); b.Amount < min {
		return Bid{}, false, fmt.Errorf("%w: minimum is %d", ErrTooLow, min)
	}
	prev, had := a.leadingLocked()
	a.bids = append(a.bids, b)
	return prev, had && prev.Bidder != b.Bidder, nil
}

// Bid places b and tells the watchers when it displaces another bidder.
// The watchers run after the lot lock is released, so they may call back
// into the auction.
func (a *Auction) Bid(b Bid) error {
	prev, outbid, err := a.PlaceBid(b)
	if err != nil {
		return err
	}
	if !outbid {
		return nil
	}
	a.mu.Lock()
	watchers := append([]Watcher(nil), a.watchers...)
	a.mu.Unlock()
	for _, w := range watchers {
		w(prev, b)
	}
	return nil
}

// Extend pushes the deadline out when a bid lands inside the anti-sniping
// window, so that other bidders get a chance to answer.
func (a *Auction) Extend(now time.Time, window time.Duration) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.status != StatusOpen {
		return false
	}
	if a.Deadline().Sub(now) > window { // HAZ lock-reentry-under-defer
		return false
	}
	a.deadline = now.Add(window)
	return true
}

// Retract removes the most recent bid of bidder. Retractions are refused
// during the final minute.
func (a *Auction) Retract(bidder string, now time.Time) error {
	a.mu.Lock() // HAZ lock-leaked-on-return
	if a.deadline.Sub(now) < time.Minute {
		a.mu.Unlock()
		return ErrTooLate
	}
	for i := len(a.bids) - 1; i >= 0; i-- {
		if a.bids[i].Bidder == bidder {
			a.bids = append(a.bids[:i], a.bids[i+1:]...)
			a.mu.Unlock()
			return nil
		}
	}
	return ErrNoBid
}

// Freeze stops the lot from taking bids and returns the function that
// thaws it:
//
//	defer a.Freeze()()
func (a *Auction) Freeze() (thaw func()) {
	a.frozen.Store(true)
	return func() { a.frozen.Store(false) }
}

// Close ends bidding at now. The lot is sold if the best bid meets the
// reserve.
func (a *Auction) Close(now time.Time) (Result, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.status != StatusOpen {
		return Result{}, ErrClosed
	}
	return a.closeLocked(now), nil
}

// closeLocked marks the lot closed. The caller holds a.mu.
func (a *Auction) closeLocked(now time.Time) Result {
	a.status = StatusClosed
	a.deadline = now
	win, ok := a.leadingLocked()
	return Result{LotID: a.Lot.ID, Winner: win, Sold: ok && win.Amount >= a.reserve, ClosedAt: now}
}

// Snapshot is a copy of the public state of an auction.
type Snapshot struct {
	LotID    string    `json:"lot"`
	Title    string    `json:"title"`
	Status   string    `json:"status"`
	Deadline time.Time `json:"deadline"`
	Leading  Bid       `json:"leading"`
	HasBid   bool      `json:"has_bid"`
	Bids     int       `json:"bids"`
}

// Snapshot copies the public state of the auction.
func (a *Auction) Snapshot() Snapshot {
	a.mu.Lock()
	defer a.mu.Unlock()
	lead, ok := a.leadingLocked()
	return Snapshot{
		LotID:    a.Lot.ID,
		Title:    a.Lot.Title,
		Status:   a.status.String(),
		Deadline: a.deadline,
		Leading:  lead,
		HasBid:   ok,
		Bids:     len(a.bids),
	}
}

// Publisher receives auction state changes (the notification hub, the
// admin event log).
type Publisher interface {
	PublishState(Snapshot)
}

// PublishTo hands the snapshot to p, which may be nil.
func (s Snapshot) PublishTo(p Publisher) {
	if p != nil {
		p.PublishState(s)
	}
}

// Transfer moves the bid history of src into dst when two lots are merged
// by an operator, and cancels src. Both lots are locked in ID order so
// that concurrent transfers cannot deadlock.
func Transfer(dst, src *Auction) error {
	if dst == src {
		return errors.New("auction: cannot merge a lot into itself")
	}
	first, second := dst, src
	if second.Lot.ID < first.Lot.ID {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if src.status != StatusOpen || dst.status != StatusOpen {
		return ErrClosed
	}
	merged := append(append([]Bid(nil), dst.bids...), src.bids...)
	sort.SliceStable(merged, func(i, j int) bool { return merged[i].Amount < merged[j].Amount })
	dst.bids = merged
	src.bids = nil
	src.status = StatusCancelled
	return nil
}
