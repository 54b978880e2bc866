package events

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestPublishDropsWhenSubscriberIsFull(t *testing.T) {
	b := NewBroker()
	t.Cleanup(b.Close)
	s := b.Subscribe("items", 1)
	if n := b.Publish(Event{Topic: "items", ID: "1"}); n != 1 {
		t.Fatalf("first publish reached %d subscribers", n)
	}
	if n := b.Publish(Event{Topic: "items", ID: "2"}); n != 0 {
		t.Fatalf("second publish reached %d subscribers, want 0", n)
	}
	if d := s.Dropped(); d != 1 {
		t.Fatalf("dropped = %d, want 1", d)
	}
}

func TestCloseClosesEverySubscription(t *testing.T) {
	b := NewBroker()
	subs := []*Sub{b.Subscribe("a", 1), b.Subscribe("b", 1)}
	b.Close()
	b.Close()
	for _, s := range subs {
		select {
		case _, ok := <-s.C:
			if ok {
				t.Fatal("unexpected event")
			}
		case <-time.After(time.Second):
			t.Fatal("subscription not closed")
		}
	}
	select {
	case <-b.Done():
	default:
		t.Fatal("Done not closed")
	}
}

func TestServeSSEStreamsPublishedEvents(t *testing.T) {
	b := NewBroker()
	t.Cleanup(b.Close)
	ts := httptest.NewServer(http.HandlerFunc(b.ServeSSE))
	defer ts.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"?topic=items", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()

	for b.SubscriberCount("items") == 0 {
		if ctx.Err() != nil {
			t.Fatal("handler never subscribed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Publish(Event{Topic: "items", ID: "7", Data: json.RawMessage(`{"name":"lamp"}`)})

	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data: ") {
			return
		}
	}
	t.Fatalf("stream ended without a data line: %v", sc.Err())
}
