package interceptors

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"example.com/rpcservices/rpc"
)

type reply struct {
	Value string
}

func TestBackoffStaysBelowMax(t *testing.T) {
	p := DefaultRetryPolicy()
	for attempt := range 10 {
		if d := p.Backoff(attempt); d < 0 || d > p.MaxBackoff {
			t.Fatalf("attempt %d: backoff %v out of range", attempt, d)
		}
	}
}

func TestRetryClientStopsOnSuccess(t *testing.T) {
	var calls atomic.Int32
	invoker := func(ctx context.Context, method string, req, r any) error {
		if calls.Add(1) < 2 {
			return rpc.Errorf(rpc.Unavailable, "try again")
		}
		r.(*reply).Value = "ok"
		return nil
	}
	p := DefaultRetryPolicy()
	p.InitialBackoff = time.Millisecond
	var out reply
	if err := RetryClient(p)(context.Background(), "/s/m", nil, &out, invoker); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 || out.Value != "ok" {
		t.Fatalf("calls=%d value=%q", calls.Load(), out.Value)
	}
}

func TestRetryClientDoesNotRetryInvalidArgument(t *testing.T) {
	var calls atomic.Int32
	invoker := func(ctx context.Context, method string, req, r any) error {
		calls.Add(1)
		return rpc.Errorf(rpc.InvalidArgument, "bad")
	}
	err := RetryClient(DefaultRetryPolicy())(context.Background(), "/s/m", nil, &reply{}, invoker)
	if rpc.CodeOf(err) != rpc.InvalidArgument || calls.Load() != 1 {
		t.Fatalf("err=%v calls=%d", err, calls.Load())
	}
}

func TestHedgeTakesFirstSuccess(t *testing.T) {
	var calls atomic.Int32
	invoker := func(ctx context.Context, method string, req, r any) error {
		if calls.Add(1) == 1 {
			<-ctx.Done()
			return ctx.Err()
		}
		r.(*reply).Value = "hedged"
		return nil
	}
	var out reply
	err := HedgeClient(HedgePolicy{MaxAttempts: 3, Delay: 5 * time.Millisecond})(context.Background(), "/s/m", nil, &out, invoker)
	if err != nil || out.Value != "hedged" {
		t.Fatalf("err=%v out=%+v", err, out)
	}
}

func TestRecoveryServerConvertsPanic(t *testing.T) {
	ic := RecoveryServer(discardLogger())
	_, err := ic(context.Background(), nil, &rpc.UnaryInfo{Service: "s", Method: "m"}, func(ctx context.Context, req any) (any, error) {
		panic("boom")
	})
	if rpc.CodeOf(err) != rpc.Internal {
		t.Fatalf("err = %v", err)
	}
}

func TestLimiterBurst(t *testing.T) {
	l := NewLimiter(1, 2)
	if !l.Allow() || !l.Allow() {
		t.Fatal("burst of two should be allowed")
	}
	if l.Allow() {
		t.Fatal("third call should be limited")
	}
}

func TestSemaphoreReleaseTwice(t *testing.T) {
	s := NewSemaphore(1)
	release, err := s.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	release()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	again, err := s.Acquire(ctx)
	if err != nil {
		t.Fatalf("slot not returned: %v", err)
	}
	again()
}

func TestBearerAuth(t *testing.T) {
	ic := BearerAuth(func(ctx context.Context, token string) (string, error) {
		if token != "secret" {
			return "", errors.New("unknown token")
		}
		return "alice", nil
	})
	ctx := rpc.NewIncomingContext(context.Background(), rpc.NewMD("authorization", "Bearer secret"))
	resp, err := ic(ctx, nil, &rpc.UnaryInfo{Service: "s", Method: "m"}, func(ctx context.Context, req any) (any, error) {
		who, _ := PrincipalFrom(ctx)
		return who, nil
	})
	if err != nil || resp != "alice" {
		t.Fatalf("resp=%v err=%v", resp, err)
	}
}

func discardLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
