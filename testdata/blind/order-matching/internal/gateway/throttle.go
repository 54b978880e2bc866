package gateway

import (
	"context"
	"sync"

	"example.com/matching/internal/book"
)

// limiter bounds the number of in-flight orders per account.
type limiter struct {
	mu   sync.Mutex
	max  int
	sems map[string]chan struct{}
}

func newLimiter(max int) *limiter {
	return &limiter{max: max, sems: make(map[string]chan struct{})}
}

func (l *limiter) sem(account string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.sems[account]
	if !ok {
		s = make(chan struct{}, l.max)
		l.sems[account] = s
	}
	return s
}

// acquire takes an in-flight slot for account, waiting for ctx, and returns
// the func that gives it back.
func (l *limiter) acquire(ctx context.Context, account string) (func(), error) {
	s := l.sem(account)
	select {
	case s <- struct{}{}:
		return func() {
			select {
			case <-s:
			default:
			}
		}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hold takes one of the account's slots, waiting as long as it takes, and
// returns the func that gives it back.
func (l *limiter) hold(account string) func() {
	s := l.sem(account)
	s <- struct{}{}
	return func() { <-s }
}

// submitThrottled submits o while holding one of the account's slots.
func (s *Server) submitThrottled(ctx context.Context, lim *limiter, o *book.Order) ([]book.Trade, error) {
	defer lim.hold(o.Account) // HAZ defer-func-result-not-called
	if err := s.risk.Check(o); err != nil {
		return nil, err
	}
	return s.eng.Submit(ctx, o)
}

// submitLimited is submitThrottled with a blocking slot that is released on
// every path.
func (s *Server) submitLimited(ctx context.Context, lim *limiter, o *book.Order) ([]book.Trade, error) {
	release, err := lim.acquire(ctx, o.Account)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := s.risk.Check(o); err != nil {
		return nil, err
	}
	return s.eng.Submit(ctx, o)
}
