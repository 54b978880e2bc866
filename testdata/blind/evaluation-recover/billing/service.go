// Package billing implements invoice and ledger synchronisation.
package billing

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"

	"example.com/blindb/platform"
)

// ErrUnknownAccount is returned for accounts the ledger does not know.
var ErrUnknownAccount = errors.New("billing: unknown account")

// Line is one invoice line.
type Line struct {
	SKU   string
	Qty   int
	Cents int64
}

// Invoice is a customer invoice.
type Invoice struct {
	ID      string
	Account string
	Amount  int64
	Lines   []Line
	Status  string
}

// Adjustment is a manual balance correction.
type Adjustment struct {
	Kind    string
	Account string
	Cents   int64
}

// Usage is a metered usage record.
type Usage struct {
	Account  string
	Quantity int64
}

// Settlement is a status update from the payment processor.
type Settlement struct {
	PaymentID string
	Status    string
	Final     bool
}

// Ledger is the client of the remote ledger service.
type Ledger struct {
	mu       sync.Mutex
	balances map[string]int64
}

// NewLedger returns a ledger with the given balances.
func NewLedger(balances map[string]int64) *Ledger {
	cp := make(map[string]int64, len(balances))
	for k, v := range balances {
		cp[k] = v
	}
	return &Ledger{balances: cp}
}

// Pull fetches the balance of id.
func (l *Ledger) Pull(ctx context.Context, id string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	l.mu.Lock()
	bal, ok := l.balances[id]
	l.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrUnknownAccount, id)
	}
	return bal, nil
}

// Push stores the balance of id.
func (l *Ledger) Push(ctx context.Context, id string, bal int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	l.balances[id] = bal
	l.mu.Unlock()
	return nil
}

// Service is the billing service.
type Service struct {
	tracer   *platform.Tracer
	latency  *platform.Histogram
	ledger   *Ledger
	audit    *platform.AuditLog
	leases   *platform.LeaseManager
	counters *platform.Counters
	sink     platform.Sink
	queue    *platform.Queue
	status   *platform.StatusPublisher
	prices   *platform.ExpiringStore
	deps     serviceDeps
	log      *log.Logger
	client   *http.Client
}

type serviceDeps struct {
	checkpoints *platform.Checkpointer
	cpStore     *platform.CheckpointStore
	journal     *platform.Journal
}

// NewService wires a billing service.
func NewService(l *log.Logger, ledger *Ledger) *Service {
	return &Service{
		tracer:   platform.NewTracer("billing"),
		latency:  platform.NewHistogram("billing_latency_seconds"),
		ledger:   ledger,
		audit:    &platform.AuditLog{},
		leases:   platform.NewLeaseManager(),
		counters: platform.NewCounters(),
		sink:     platform.LogSink{Logger: l},
		queue:    &platform.Queue{},
		status:   &platform.StatusPublisher{Logger: l},
		prices:   platform.NewExpiringStore(),
		deps: serviceDeps{
			checkpoints: &platform.Checkpointer{Job: "usage-export"},
			cpStore:     &platform.CheckpointStore{},
			journal:     &platform.Journal{},
		},
		log:    l,
		client: http.DefaultClient,
	}
}

func (s *Service) finalize(ctx context.Context, period string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.log.Printf("period %s finalized", period)
	return nil
}

func (s *Service) reconcileOne(ctx context.Context, id string) error {
	bal, err := s.ledger.Pull(ctx, id)
	if err != nil {
		return err
	}
	if bal < 0 {
		return fmt.Errorf("account %s is overdrawn by %d", id, -bal)
	}
	return nil
}

// finishSpan ends span with the error err points to at the time it runs.
func (s *Service) finishSpan(span *platform.Span, errp *error) {
	span.Finish(*errp)
}
