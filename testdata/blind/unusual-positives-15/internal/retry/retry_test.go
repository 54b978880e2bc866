package retry

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"
)

func TestDoLoggedRetries(t *testing.T) {
	lg := log.New(io.Discard, "", 0)
	calls := 0
	v, err := DoLogged(context.Background(), lg, "op", 3, time.Millisecond, func(context.Context) (int, error) {
		calls++
		if calls < 3 {
			return 0, errors.New("flaky")
		}
		return 42, nil
	})
	if err != nil || v != 42 || calls != 3 {
		t.Fatalf("DoLogged = %d, %v after %d calls", v, err, calls)
	}
}

func TestDeadlineExpires(t *testing.T) {
	lg := log.New(io.Discard, "", 0)
	_, err := Deadline(context.Background(), lg, "slow", time.Millisecond, func(ctx context.Context) (struct{}, error) {
		<-ctx.Done()
		return struct{}{}, ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}
