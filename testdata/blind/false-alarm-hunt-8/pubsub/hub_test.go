package pubsub

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/falsealarm8/testutil"
)

func newTestHub(t *testing.T) *Hub {
	t.Helper()
	h := NewHub()
	t.Cleanup(h.Close)
	return h
}

func TestPublishSubscribe(t *testing.T) {
	h := newTestHub(t)
	s, err := h.Subscribe("orders", 4)
	if err != nil {
		t.Fatal(err)
	}
	if n := h.Publish(Message{Topic: "orders", Payload: []byte("a")}); n != 1 {
		t.Fatalf("delivered to %d, want 1", n)
	}
	select {
	case m := <-s.C():
		if string(m.Payload) != "a" {
			t.Errorf("payload %q", m.Payload)
		}
	case <-time.After(time.Second):
		t.Fatal("no message")
	}
	s.Cancel()
	if _, ok := <-s.C(); ok {
		t.Error("channel still open after Cancel")
	}
}

func TestSafeCallConvertsPanic(t *testing.T) {
	boom := func(context.Context, Message) error { panic("boom") }
	for _, call := range []func(context.Context, Handler, Message) error{SafeCall, Invoke} {
		err := call(context.Background(), boom, Message{})
		var pe *PanicError
		if !errors.As(err, &pe) || pe.Value != "boom" {
			t.Errorf("err = %v, want PanicError(boom)", err)
		}
	}
}

func TestMustDeliverRepanics(t *testing.T) {
	v := testutil.RequirePanics(t, func() {
		_ = MustDeliver(context.Background(), func(context.Context, Message) error { panic("again") }, Message{Topic: "x"})
	})
	if v != "again" {
		t.Errorf("panic value %v", v)
	}
}

func TestFanoutJoinsErrors(t *testing.T) {
	errA := errors.New("a")
	hs := []Handler{
		func(context.Context, Message) error { return nil },
		func(context.Context, Message) error { return errA },
		func(context.Context, Message) error { return nil },
	}
	if err := Fanout(context.Background(), Message{}, hs, 2); !errors.Is(err, errA) {
		t.Errorf("Fanout = %v, want %v", err, errA)
	}
}

func TestMergeClosesAfterInputs(t *testing.T) {
	h := newTestHub(t)
	a, _ := h.Subscribe("a", 2)
	b, _ := h.Subscribe("b", 2)
	out := Merge(a, b)
	h.Publish(Message{Topic: "a"})
	h.Publish(Message{Topic: "b"})
	got := 0
	for range 2 {
		<-out
		got++
	}
	h.Unsubscribe(a)
	h.Unsubscribe(b)
	testutil.Eventually(t, time.Second, 5*time.Millisecond, func() bool {
		select {
		case _, ok := <-out:
			return !ok
		default:
			return false
		}
	})
	if got != 2 {
		t.Errorf("got %d messages", got)
	}
}

func TestCountersSnapshot(t *testing.T) {
	var c Counters
	for i := range 100 {
		c.Add([]string{"x", "y"}[i%2], 1)
	}
	s := c.Snapshot()
	if s["x"] != 50 || s["y"] != 50 {
		t.Errorf("snapshot %v", s)
	}
	c.Reset()
	if s := c.Snapshot(); len(s) != 0 {
		t.Errorf("after reset %v", s)
	}
}
