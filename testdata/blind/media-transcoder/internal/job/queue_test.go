package job

import (
	"errors"
	"testing"
	"time"
)

func testJob(id string, prio int) *Job {
	return &Job{
		ID:      ID(id),
		Request: Request{SourcePath: "/in/" + id + ".mov", Renditions: DefaultLadder(), Priority: prio},
		Created: time.Now(),
	}
}

func TestQueuePriorityOrder(t *testing.T) {
	q := NewQueue()
	for _, j := range []*Job{testJob("a", 0), testJob("b", 5), testJob("c", 0), testJob("d", 5)} {
		if err := q.Push(j); err != nil {
			t.Fatalf("push %s: %v", j.ID, err)
		}
	}
	want := []ID{"b", "d", "a", "c"}
	for _, id := range want {
		j, ok := q.TryPop()
		if !ok {
			t.Fatalf("queue empty, want %s", id)
		}
		if j.ID != id {
			t.Fatalf("got %s, want %s", j.ID, id)
		}
	}
}

func TestQueueRejectsDuplicates(t *testing.T) {
	q := NewQueue()
	if err := q.Push(testJob("x", 1)); err != nil {
		t.Fatal(err)
	}
	if err := q.Push(testJob("x", 1)); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second push: got %v, want ErrDuplicate", err)
	}
}

func TestCloseUnblocksPop(t *testing.T) {
	q := NewQueue()
	done := make(chan bool, 1)
	go func() {
		_, ok := q.Pop()
		done <- ok
	}()
	time.Sleep(10 * time.Millisecond)
	q.Close()
	select {
	case ok := <-done:
		if ok {
			t.Fatal("Pop on a closed empty queue returned a job")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Pop did not return after Close")
	}
}

func TestCancelQueuedJob(t *testing.T) {
	q := NewQueue()
	j := testJob("victim", 0)
	if err := q.Push(j); err != nil {
		t.Fatal(err)
	}
	if err := q.Cancel(j.ID); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if j.Status != StatusCanceled {
		t.Fatalf("status = %s, want canceled", j.Status)
	}
	if n := q.Len(); n != 0 {
		t.Fatalf("len = %d after cancel", n)
	}
}

func TestStorePrune(t *testing.T) {
	s := NewStore()
	old := testJob("old", 0)
	old.Status = StatusSucceeded
	old.Finished = time.Now().Add(-48 * time.Hour)
	fresh := testJob("fresh", 0)
	s.Put(old)
	s.Put(fresh)
	if n := s.Prune(24 * time.Hour); n != 1 {
		t.Fatalf("pruned %d, want 1", n)
	}
	if _, ok := s.Get("fresh"); !ok {
		t.Fatal("fresh job was pruned")
	}
}
