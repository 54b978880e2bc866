package interceptors

import (
	"context"
	"sync"
	"time"

	"example.com/rpcservices/rpc"
)

// Limiter is a token bucket.
type Limiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// NewLimiter allows rate calls per second with bursts of burst.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now(), now: time.Now}
}

// refillLocked must be called with l.mu held.
func (l *Limiter) refillLocked(now time.Time) {
	elapsed := now.Sub(l.last).Seconds()
	l.last = now
	l.tokens += elapsed * l.rate
	if l.tokens > l.burst {
		l.tokens = l.burst
	}
}

// Allow takes one token if available.
func (l *Limiter) Allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refillLocked(l.now())
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}

// Tokens returns the current fill level.
func (l *Limiter) Tokens() float64 {
	l.mu.Lock()
	l.refillLocked(l.now())
	t := l.tokens
	l.mu.Unlock()
	return t
}

// RateLimitServer rejects calls over the limit with ResourceExhausted.
func RateLimitServer(l *Limiter) rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (any, error) {
		if !l.Allow() {
			return nil, rpc.Errorf(rpc.ResourceExhausted, "rate limit exceeded for %s", info.FullMethod())
		}
		return next(ctx, req)
	}
}

// Semaphore bounds concurrency.
type Semaphore struct {
	slots chan struct{}
}

// NewSemaphore allows n holders.
func NewSemaphore(n int) *Semaphore { return &Semaphore{slots: make(chan struct{}, n)} }

// Acquire waits for a slot. The returned release func is never nil when the
// error is nil, and is safe to call twice.
func (s *Semaphore) Acquire(ctx context.Context) (func(), error) {
	select {
	case s.slots <- struct{}{}:
		var once sync.Once
		return func() {
			once.Do(func() {
				select {
				case <-s.slots:
				default:
				}
			})
		}, nil
	case <-ctx.Done():
		return nil, rpc.StatusOf(ctx.Err())
	}
}

// ConcurrencyLimit bounds in-flight calls.
func ConcurrencyLimit(s *Semaphore) rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (any, error) {
		release, err := s.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		return next(ctx, req)
	}
}
