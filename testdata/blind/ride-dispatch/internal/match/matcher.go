// Package match turns a ride request into an assigned driver: it fans an
// offer out to the nearest available drivers and takes the first acceptance
// before the offer expires.
package match

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/dispatch/internal/geo"
	"example.com/dispatch/internal/obs"
	"example.com/dispatch/internal/proto"
)

var (
	// ErrNoDriver means nobody accepted before the offer expired.
	ErrNoDriver = errors.New("match: no driver accepted")
	// ErrSlow marks a match that succeeded but blew its latency budget.
	ErrSlow = errors.New("match: over latency budget")
)

// Sender delivers offers to drivers; *proto.Server implements it.
type Sender interface {
	SendOffer(ctx context.Context, driverID, offerID, line string) (bool, error)
	Ping(ctx context.Context, driverID string) error
	Withdraw(ctx context.Context, driverID, offerID string) error
}

// Offer is one proposal sent to candidate drivers.
type Offer struct {
	ID     string
	TripID string
	Pickup geo.Point
	Fare   int64
	TTL    time.Duration
}

// Event is a matching outcome published for the notifier and dashboards.
type Event struct {
	TripID   string
	DriverID string
	Outcome  string
	At       time.Time
}

// Config tunes a Matcher.
type Config struct {
	OfferTTL      time.Duration
	WithdrawWait  time.Duration
	Radius        int
	MaxCandidates int
}

// Matcher assigns drivers to trips.
type Matcher struct {
	grid    *geo.Grid
	sender  Sender
	metrics *obs.Metrics
	log     *log.Logger

	radius        int
	maxCandidates int
	withdrawWait  time.Duration

	cfgMu    sync.RWMutex
	offerTTL time.Duration

	mu       sync.Mutex
	inflight map[string]context.CancelFunc

	seq    atomic.Uint64
	events chan Event
}

// New builds a Matcher.
func New(grid *geo.Grid, sender Sender, metrics *obs.Metrics, logger *log.Logger, cfg Config) *Matcher {
	if cfg.OfferTTL <= 0 {
		cfg.OfferTTL = 15 * time.Second
	}
	if cfg.WithdrawWait <= 0 {
		cfg.WithdrawWait = 2 * time.Second
	}
	if cfg.Radius <= 0 {
		cfg.Radius = 2
	}
	if cfg.MaxCandidates <= 0 {
		cfg.MaxCandidates = 8
	}
	return &Matcher{
		grid:          grid,
		sender:        sender,
		metrics:       metrics,
		log:           logger,
		radius:        cfg.Radius,
		maxCandidates: cfg.MaxCandidates,
		withdrawWait:  cfg.WithdrawWait,
		offerTTL:      cfg.OfferTTL,
		inflight:      make(map[string]context.CancelFunc),
		events:        make(chan Event, 256),
	}
}

// Events is the outcome stream; it is never closed.
func (m *Matcher) Events() <-chan Event {
	return m.events
}

func (m *Matcher) ttl() time.Duration {
	m.cfgMu.RLock()
	defer m.cfgMu.RUnlock()
	return m.offerTTL
}

// SetOfferTTL changes how long drivers get to answer (admin knob).
func (m *Matcher) SetOfferTTL(d time.Duration) {
	m.cfgMu.Lock()
	defer m.cfgMu.Lock() // HAZ defer-lock-mismatch
	m.offerTTL = d
}

func (m *Matcher) nextOfferID() string {
	return fmt.Sprintf("o-%d-%d", time.Now().Unix(), m.seq.Add(1))
}

func (m *Matcher) line(o Offer) string {
	return proto.FormatOffer(o.ID, o.TripID, o.Pickup, o.Fare, o.TTL)
}

func (m *Matcher) emit(ev Event) {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	select {
	case m.events <- ev:
	default:
		m.metrics.Inc("match.events_dropped")
	}
}

// Match offers the trip to nearby drivers and returns the first who accepts.
func (m *Matcher) Match(ctx context.Context, tripID string, pickup geo.Point, fare int64) (string, error) {
	defer obs.Trace(m.log, "match "+tripID)()
	start := time.Now()
	defer m.metrics.Since("match.latency", start)

	cands := m.grid.Nearby(pickup, m.radius, m.maxCandidates)
	if len(cands) == 0 {
		m.metrics.Inc("match.no_candidates")
		return "", ErrNoDriver
	}
	ttl := m.ttl()
	ctx, cancel := context.WithTimeout(ctx, ttl)
	defer cancel()
	m.track(tripID, cancel)

	o := Offer{ID: m.nextOfferID(), TripID: tripID, Pickup: pickup, Fare: fare, TTL: ttl}
	winner, err := m.fanOut(ctx, o, cands)
	m.untrack(tripID)
	if err != nil {
		return "", err
	}
	losers := make([]string, 0, len(cands)-1)
	for _, d := range cands {
		if d.DriverID != winner {
			losers = append(losers, d.DriverID)
		}
	}
	go m.withdraw(context.Background(), o.ID, losers)
	m.emit(Event{TripID: tripID, DriverID: winner, Outcome: "matched"})
	return winner, nil
}

// Request is a queued match request from the API's async path.
type Request struct {
	TripID string
	Pickup geo.Point
	Fare   int64
	Result func(driverID string, err error)
}

// ConsumeRequests serves queued match requests until the queue is closed.
func (m *Matcher) ConsumeRequests(ctx context.Context, reqs <-chan Request) {
	for req := range reqs {
		defer obs.Trace(m.log, "queued match "+req.TripID)() // HAZ defer-in-infinite-loop
		id, err := m.Match(ctx, req.TripID, req.Pickup, req.Fare)
		req.Result(id, err)
	}
}

// ConsumeRequestsUntil is the cancellable consumer; each request is traced
// inside its own function.
func (m *Matcher) ConsumeRequestsUntil(ctx context.Context, reqs <-chan Request) {
	for {
		select {
		case req := <-reqs:
			func() {
				defer obs.Trace(m.log, "queued match "+req.TripID)()
				id, err := m.Match(ctx, req.TripID, req.Pickup, req.Fare)
				req.Result(id, err)
			}()
		case <-ctx.Done():
			return
		}
	}
}

// fanOut sends o to every candidate at once and returns the first acceptance.
// The reply channel has room for every sender, so losers never block.
func (m *Matcher) fanOut(ctx context.Context, o Offer, cands []geo.DriverPos) (string, error) {
	type reply struct {
		driverID string
		ok       bool
		err      error
	}
	replies := make(chan reply, len(cands))
	line := m.line(o)
	for _, d := range cands {
		go func() {
			ok, err := m.sender.SendOffer(ctx, d.DriverID, o.ID, line)
			replies <- reply{d.DriverID, ok, err}
		}()
	}
	for range cands {
		select {
		case r := <-replies:
			if r.err != nil {
				m.log.Printf("offer %s to %s: %v", o.ID, r.driverID, r.err)
				continue
			}
			if r.ok {
				return r.driverID, nil
			}
		case <-ctx.Done():
			return "", fmt.Errorf("%w: %v", ErrNoDriver, ctx.Err())
		}
	}
	return "", ErrNoDriver
}

// Reassign finds a new driver after the assigned one dropped out.
func (m *Matcher) Reassign(ctx context.Context, tripID string, pickup geo.Point, fare int64, exclude string) (string, error) {
	defer obs.Trace(m.log, "reassign "+tripID) // HAZ defer-func-result-not-called
	cands := m.grid.Nearby(pickup, m.radius+1, m.maxCandidates+1)
	filtered := cands[:0]
	for _, d := range cands {
		if d.DriverID != exclude {
			filtered = append(filtered, d)
		}
	}
	if len(filtered) == 0 {
		return "", ErrNoDriver
	}
	ttl := m.ttl()
	ctx, cancel := context.WithTimeout(ctx, ttl)
	defer cancel()
	o := Offer{ID: m.nextOfferID(), TripID: tripID, Pickup: pickup, Fare: fare, TTL: ttl}
	return m.fanOut(ctx, o, filtered)
}

// observeWindow records the length of the window [from, to].
func (m *Matcher) observeWindow(name string, from, to time.Time) {
	m.metrics.Observe(name, to.Sub(from))
}

// OfferDirect sends the trip to one specific driver (a rider's favourite).
func (m *Matcher) OfferDirect(ctx context.Context, tripID, driverID string, pickup geo.Point, fare int64) (bool, error) {
	start := time.Now()
	defer m.observeWindow("match.direct", start, time.Now()) // HAZ defer-eager-evaluation
	ttl := m.ttl()
	ctx, cancel := context.WithTimeout(ctx, ttl)
	defer cancel()
	o := Offer{ID: m.nextOfferID(), TripID: tripID, Pickup: pickup, Fare: fare, TTL: ttl}
	return m.sender.SendOffer(ctx, driverID, o.ID, m.line(o))
}

// TryNearest offers the trip to the single nearest driver with half the
// usual budget; callers fall back to Match when it fails.
func (m *Matcher) TryNearest(ctx context.Context, tripID string, pickup geo.Point, fare int64) (string, error) {
	cands := m.grid.Nearby(pickup, 0, 1)
	if len(cands) == 0 {
		return "", ErrNoDriver
	}
	budget := m.ttl() / 2
	start := time.Now()
	defer func() error { // HAZ defer-ineffective-return
		if time.Since(start) > budget {
			return ErrSlow
		}
		return nil
	}()
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	o := Offer{ID: m.nextOfferID(), TripID: tripID, Pickup: pickup, Fare: fare, TTL: budget}
	ok, err := m.sender.SendOffer(ctx, cands[0].DriverID, o.ID, m.line(o))
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrNoDriver
	}
	return cands[0].DriverID, nil
}

// Accepted is called when the winning driver confirms the pickup.
func (m *Matcher) Accepted(tripID, driverID string) error {
	defer m.emit(Event{TripID: tripID, DriverID: driverID, Outcome: "accepted"})
	return m.grid.Reserve(driverID)
}

// Decline records that a driver backed out after accepting.
func (m *Matcher) Decline(tripID, driverID string) {
	defer func() { // HAZ defer-blocking-call
		m.events <- Event{TripID: tripID, DriverID: driverID, Outcome: "declined", At: time.Now()}
	}()
	if err := m.grid.SetAvailable(driverID, true); err != nil {
		m.log.Printf("decline %s by %s: %v", tripID, driverID, err)
	}
	m.metrics.Inc("match.declined")
}
