package pubsub

import (
	"context"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		filter, topic string
		want          bool
	}{
		{"devices/+/telemetry", "devices/d1/telemetry", true},
		{"devices/+/telemetry", "devices/d1/status", false},
		{"devices/#", "devices/d1/telemetry/temp", true},
		{"devices/d1", "devices/d1/x", false},
		{"#", "anything", true},
	}
	for _, c := range cases {
		if got := Match(c.filter, c.topic); got != c.want {
			t.Errorf("Match(%q, %q) = %v", c.filter, c.topic, got)
		}
	}
}

func TestPublishDropsForSlowSubscriber(t *testing.T) {
	b := NewBroker()
	s, err := b.Subscribe("devices/#", 1)
	if err != nil {
		t.Fatal(err)
	}
	b.Publish(Message{Topic: "devices/d1/up"})
	b.Publish(Message{Topic: "devices/d2/up"})
	if s.Dropped() != 1 {
		t.Fatalf("dropped = %d, want 1", s.Dropped())
	}
	b.Unsubscribe(s)
	if _, ok := <-s.C(); !ok {
		t.Fatal("buffered message lost on unsubscribe")
	}
	if _, ok := <-s.C(); ok {
		t.Fatal("channel not closed")
	}
}

func TestRetainedDeliveredOnSubscribe(t *testing.T) {
	b := NewBroker()
	b.Publish(Message{Topic: "fleet/rollout", Payload: []byte("3.1.0"), Retain: true})
	s, err := b.Subscribe("fleet/+", 4)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-s.C():
		if string(m.Payload) != "3.1.0" {
			t.Fatalf("got %q", m.Payload)
		}
	default:
		t.Fatal("retained message not delivered")
	}
}

func TestSubscribeFuncStops(t *testing.T) {
	b := NewBroker()
	got := make(chan string, 1)
	stop, err := b.SubscribeFunc(context.Background(), "a/#", func(m Message) { got <- m.Topic })
	if err != nil {
		t.Fatal(err)
	}
	b.Publish(Message{Topic: "a/b"})
	select {
	case topic := <-got:
		if topic != "a/b" {
			t.Fatalf("topic %q", topic)
		}
	case <-time.After(time.Second):
		t.Fatal("callback not called")
	}
	stop()
}

func TestConcurrentPublishers(t *testing.T) {
	b := NewBroker()
	s, err := b.Subscribe("sensors/#", 64)
	if err != nil {
		t.Fatal(err)
	}
	topics := []string{"sensors/a", "sensors/b", "sensors/c"}
	done := make(chan struct{}, len(topics))
	for _, topic := range topics {
		go func() { b.Publish(Message{Topic: topic}); done <- struct{}{} }() // HAZ loop-var-capture
		t.Logf("publisher for %s started", topic)
	}
	for range topics {
		<-done
	}
	seen := make(map[string]bool)
	for len(s.C()) > 0 {
		seen[(<-s.C()).Topic] = true
	}
	if len(seen) != len(topics) {
		t.Fatalf("saw topics %v", seen)
	}
}
