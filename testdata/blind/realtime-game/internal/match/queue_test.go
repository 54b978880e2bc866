package match

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestEnqueueRejectsDuplicate(t *testing.T) {
	q := NewQueue(2, 100, time.Minute)
	if err := q.Enqueue(NewTicket("p1", 1000, "eu")); err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(NewTicket("p1", 1000, "eu")); !errors.Is(err, ErrQueued) {
		t.Fatalf("err = %v, want ErrQueued", err)
	}
}

func TestFormOnceRespectsSpread(t *testing.T) {
	q := NewQueue(2, 100, time.Minute)
	a, b := NewTicket("a", 1000, "eu"), NewTicket("b", 1500, "eu")
	for _, tk := range []*Ticket{a, b} {
		if err := q.Enqueue(tk); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := q.formOnce(time.Now()); ok {
		t.Fatal("formed a match across a 500 point spread")
	}
	c := NewTicket("c", 1050, "eu")
	if err := q.Enqueue(c); err != nil {
		t.Fatal(err)
	}
	m, ok := q.formOnce(time.Now())
	if !ok || len(m.Players) != 2 {
		t.Fatalf("formOnce = %+v, %v", m, ok)
	}
	select {
	case got := <-a.Result():
		if got.ID != m.ID {
			t.Fatalf("ticket a got %s, want %s", got.ID, m.ID)
		}
	default:
		t.Fatal("ticket a was not notified")
	}
}

func TestWaitCancelsOnTimeout(t *testing.T) {
	q := NewQueue(2, 100, time.Minute)
	tk := NewTicket("solo", 1000, "eu")
	if err := q.Enqueue(tk); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := q.Wait(ctx, tk); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if q.Len() != 0 {
		t.Fatal("ticket still queued after timeout")
	}
}

func TestBestRegion(t *testing.T) {
	ls := []Latency{
		{Region: "us", RTT: 90 * time.Millisecond},
		{Region: "eu", RTT: 20 * time.Millisecond},
		{Region: "ap", Err: errors.New("timeout")},
	}
	if got, ok := BestRegion(ls); !ok || got != "eu" {
		t.Fatalf("BestRegion = %q, %v", got, ok)
	}
}
