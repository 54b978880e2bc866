package catalog

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestRenameAndRemove(t *testing.T) {
	c := New()
	c.Put(Topic{Name: "orders"})
	if err := c.Rename("orders", "orders.v2"); err != nil {
		t.Fatal(err)
	}
	if c.Has("orders") || !c.Has("orders.v2") {
		t.Fatal("rename did not move the topic")
	}
	if err := c.Remove("orders", false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Remove(missing) = %v, want ErrNotFound", err)
	}
}

func TestImportReportsCounters(t *testing.T) {
	c := New()
	var out bytes.Buffer
	in := strings.NewReader(`{"name":"a"}` + "\n" + `{"name":"b"}` + "\n")
	if err := c.Import(in, &out); err != nil {
		t.Fatal(err)
	}
	if len(c.List()) != 2 {
		t.Fatalf("got %d topics, want 2", len(c.List()))
	}
}

func TestIndexFollow(t *testing.T) {
	ix := NewIndex()
	ix.Follow("s1", "a")
	ix.Follow("s1", "a")
	ix.Follow("s2", "a")
	if got := ix.Followers("a"); len(got) != 2 {
		t.Fatalf("followers = %v", got)
	}
	if got := ix.Topics("s1"); len(got) != 1 {
		t.Fatalf("topics = %v", got)
	}
}

func TestQueueRequeueStopsWhenFull(t *testing.T) {
	q := NewQueue(1, 4)
	n, err := q.Requeue([]Item{{Topic: "a"}, {Topic: "b"}})
	if n != 1 || !errors.Is(err, ErrFull) {
		t.Fatalf("Requeue = %d, %v", n, err)
	}
	if err := q.Offer(context.Background(), Item{Topic: "c", Priority: PriorityHigh}); err != nil {
		t.Fatal(err)
	}
	if it, ok := q.Poll(); !ok || it.Topic != "c" {
		t.Fatalf("Poll = %v, %v", it, ok)
	}
}
