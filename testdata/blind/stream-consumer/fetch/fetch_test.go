package fetch

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"

	"example.com/consumer/broker"
)

func newBroker(t *testing.T, n int) (*broker.Broker, broker.TopicPartition) {
	t.Helper()
	b := broker.New()
	if err := b.CreateTopic("t", 1); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := b.Produce("t", nil, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	return b, broker.TopicPartition{Topic: "t"}
}

func TestFetcherDeliversInOrder(t *testing.T) {
	b, tp := newBroker(t, 5)
	out := make(chan broker.Message, 10)
	f := New(b, tp, 0, 2, out, log.New(io.Discard, "", 0))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	for i := 0; i < 5; i++ {
		m := <-out
		if m.Offset != int64(i) {
			t.Fatalf("message %d has offset %d", i, m.Offset)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}

func TestManagerAssignAndClose(t *testing.T) {
	b, tp := newBroker(t, 3)
	m := NewManager(b, 8, 10, log.New(io.Discard, "", 0))
	start := func(broker.TopicPartition) int64 { return 0 }
	if n := m.Assign(context.Background(), []broker.TopicPartition{tp}, start); n != 1 {
		t.Fatalf("started %d fetchers, want 1", n)
	}
	for i := 0; i < 3; i++ {
		select {
		case <-m.Messages():
		case <-time.After(2 * time.Second):
			t.Fatal("timed out waiting for message")
		}
	}
	m.Close()
	if _, ok := <-m.Messages(); ok {
		t.Fatal("channel still open after Close")
	}
}
