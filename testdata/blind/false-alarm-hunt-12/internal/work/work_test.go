package work

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMapOrder(t *testing.T) {
	got, err := Map(t.Context(), []string{"a", "b", "c"}, func(_ context.Context, s string) (string, error) {
		return strings.ToUpper(s), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "") != "ABC" {
		t.Fatalf("got %v", got)
	}
}

func TestCallTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	_, err := Call(ctx, func() (int, error) {
		<-release
		return 1, nil
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestSafelyConvertsPanic(t *testing.T) {
	err := Safely(func() { panic("boom") })
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("err = %v", err)
	}
}

func TestMergeClosesOutput(t *testing.T) {
	ctx := t.Context()
	a := Stream(ctx, 3, func(i int) int { return i })
	b := Stream(ctx, 2, func(i int) int { return 10 + i })
	n := 0
	for range Merge(ctx, a, b) {
		n++
	}
	if n != 5 {
		t.Fatalf("n = %d", n)
	}
}

func TestPoolCloseTwice(t *testing.T) {
	p := NewPool(2)
	done := make(chan struct{}, 4)
	for range 4 {
		if err := p.Submit(t.Context(), func() { done <- struct{}{} }); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	p.Close()
	if len(done) != 4 {
		t.Fatalf("ran %d tasks", len(done))
	}
}

func TestBatchGoEarlyReturn(t *testing.T) {
	err := BatchGo([]int{1, 2, 3},
		func(n int) error {
			if n == 2 {
				return errors.New("two")
			}
			return nil
		},
		func(int) error { return nil })
	if err == nil || err.Error() != "two" {
		t.Fatalf("err = %v", err)
	}
}
