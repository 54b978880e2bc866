package lease_test

import (
	"context"
	"testing"
	"time"

	"example.com/fah11/internal/lease"
)

func TestTryAcquireExclusive(t *testing.T) {
	m := lease.NewManager(time.Minute)
	defer m.Close()

	if _, ok := m.TryAcquire("leader", "a"); !ok {
		t.Fatal("first acquire failed")
	}
	if _, ok := m.TryAcquire("leader", "b"); ok {
		t.Fatal("second holder acquired a live lease")
	}
	if _, err := m.Renew("leader", "a"); err != nil {
		t.Fatal(err)
	}
}

func TestCampaignAfterRelease(t *testing.T) {
	m := lease.NewManager(time.Minute)
	m.StartReaper(10 * time.Millisecond)
	defer m.Close()

	if _, ok := m.TryAcquire("leader", "a"); !ok {
		t.Fatal("acquire failed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	done := make(chan error, 1)
	go func() {
		_, err := m.Campaign(ctx, "leader", "b", 5*time.Millisecond)
		done <- err
	}()
	if err := m.Release("leader", "a"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Campaign: %v", err)
	}
}
