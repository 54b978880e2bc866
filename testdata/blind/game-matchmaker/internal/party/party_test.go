package party

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestInviteAccepted(t *testing.T) {
	s := NewService(time.Second, nil)
	inbox, disconnect := s.Connect("bob")
	defer disconnect()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, ok := WaitForAnswer(ctx, inbox, true); !ok {
			t.Error("bob never saw the invite")
		}
	}()
	reply, err := s.Invite(ctx, "alice", "bob")
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if !reply.Accepted {
		t.Fatalf("reply = %+v, want accepted", reply)
	}
}

func TestInviteOffline(t *testing.T) {
	s := NewService(100*time.Millisecond, nil)
	reply, err := s.Invite(context.Background(), "alice", "nobody")
	if err != nil {
		t.Fatal(err)
	}
	if reply.Accepted || reply.Reason != ErrOffline.Error() {
		t.Fatalf("reply = %+v, want offline", reply)
	}
}

func TestBroadcastReachesMembers(t *testing.T) {
	s := NewService(time.Second, func(string, string) bool { return true })
	p := s.Create("lead")
	for _, m := range []string{"b", "c"} {
		if err := s.join(p.ID, m); err != nil {
			t.Fatal(err)
		}
	}
	got := s.Broadcast(p.ID, "gg")
	if len(got) != 3 {
		t.Fatalf("Broadcast reached %v, want 3 members", got)
	}
}
