package fanout

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestReplicateAllJoinsErrors(t *testing.T) {
	bad := errors.New("disk full")
	replicas := []*Replica{
		NewReplica("a", func(context.Context, []byte) error { return nil }),
		NewReplica("b", func(context.Context, []byte) error { return bad }),
		NewReplica("c", func(context.Context, []byte) error { return nil }),
	}
	f := New(time.Second)
	err := f.ReplicateAll(context.Background(), []byte("x"), replicas)
	if !errors.Is(err, bad) {
		t.Fatalf("ReplicateAll = %v, want %v", err, bad)
	}
}

func TestQuickTimesOut(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	slow := NewPoller("slow", func(context.Context) (float64, error) {
		<-release
		return 1, nil
	})
	f := New(10*time.Millisecond, slow)
	if _, err := f.Quick(context.Background(), slow); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Quick = %v, want timeout", err)
	}
}
