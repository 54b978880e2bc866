package eventbus

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPublishCollectsErrorsAndPanics(t *testing.T) {
	b := New(WithErrorHook(func(string, error) {}))
	boom := errors.New("boom")
	if _, err := b.Subscribe("t", func(context.Context, Event) error { return boom }); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Subscribe("t", func(context.Context, Event) error { panic("bad handler") }); err != nil {
		t.Fatal(err)
	}
	err := b.Publish(context.Background(), "t", 1)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "bad handler") {
		t.Fatalf("err = %v", err)
	}
}

func TestUnsubscribeFromHandler(t *testing.T) {
	b := New()
	var calls atomic.Int32
	var unsub func()
	unsub, err := b.Subscribe("t", func(context.Context, Event) error {
		calls.Add(1)
		unsub()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_ = b.Publish(context.Background(), "t", nil)
	}
	if calls.Load() != 1 {
		t.Fatalf("calls = %d", calls.Load())
	}
}

func TestAsyncDrainsOnClose(t *testing.T) {
	b := New()
	var got atomic.Int32
	if _, err := b.Subscribe("*", func(context.Context, Event) error {
		got.Add(1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	a := NewAsync(b, 2, 8, nil)
	for range 5 {
		if err := a.Publish(context.Background(), "x", nil); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	if got.Load() != 5 {
		t.Fatalf("got = %d", got.Load())
	}
}

func TestStreamReceives(t *testing.T) {
	b := New()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ch, err := b.Stream(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = b.Publish(ctx, "a", 42) }()
	evs := Collect(ctx, ch, 1)
	if len(evs) != 1 || evs[0].Payload != 42 {
		t.Fatalf("evs = %v", evs)
	}
}
