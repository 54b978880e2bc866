package outbox

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"example.com/databaselayer/internal/fakedb"
)

func newRelay(t *testing.T) (*Relay, *MemoryPublisher, *sql.DB) {
	t.Helper()
	db, err := sql.Open(fakedb.DriverName, "outbox/"+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(Schema); err != nil {
		t.Fatal(err)
	}
	pub := NewMemoryPublisher()
	return NewRelay(db, pub, nil, Config{BatchSize: 10, Interval: time.Millisecond}), pub, db
}

func enqueue(t *testing.T, db *sql.DB, topics ...string) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, topic := range topics {
		if err := Enqueue(context.Background(), tx, topic, []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestRelayOnce(t *testing.T) {
	r, pub, db := newRelay(t)
	enqueue(t, db, "user.created", "order.placed")
	n, err := r.RelayOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(pub.Messages()) != 2 {
		t.Fatalf("relayed %d, published %d, want 2 and 2", n, len(pub.Messages()))
	}
	if n, _ := r.RelayOnce(context.Background()); n != 0 {
		t.Fatalf("second pass relayed %d, want 0", n)
	}
}

func TestFailedTopicStaysQueued(t *testing.T) {
	r, pub, db := newRelay(t)
	pub.FailTopic("broken", errors.New("broker down"))
	enqueue(t, db, "broken", "fine")
	n, err := r.RelayOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("relayed %d, want 1", n)
	}
}

func TestPauseStopsRelay(t *testing.T) {
	r, _, db := newRelay(t)
	enqueue(t, db, "x")
	resume := r.Pause()
	if n, _ := r.RelayOnce(context.Background()); n != 0 {
		t.Fatalf("paused relay sent %d", n)
	}
	resume()
	if n, _ := r.RelayOnce(context.Background()); n != 1 {
		t.Fatalf("resumed relay sent %d, want 1", n)
	}
}

func TestCatchupSavedCheckpoints(t *testing.T) {
	r, _, _ := newRelay(t)
	msgs := []Message{{ID: 3, Topic: "a"}, {ID: 9, Topic: "b"}}
	if err := r.CatchupSaved(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	if got := r.Checkpoint("relay"); got != 9 {
		t.Fatalf("checkpoint = %d, want 9", got)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	r, _, _ := newRelay(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := r.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run returned %v, want deadline exceeded", err)
	}
}
