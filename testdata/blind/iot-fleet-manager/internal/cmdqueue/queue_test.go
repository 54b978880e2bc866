package cmdqueue

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/fleet/internal/protocol"
)

// echoSender acknowledges every command asynchronously, as a device would.
type echoSender struct {
	q      *Queue
	status uint8
}

func (s *echoSender) SendCommand(_ context.Context, deviceID string, cmd protocol.Command) error {
	go s.q.Ack(deviceID, protocol.Ack{CommandID: cmd.ID, Status: s.status})
	return nil
}

type blackhole struct{}

func (blackhole) SendCommand(context.Context, string, protocol.Command) error { return nil }

func TestSubmitAcknowledged(t *testing.T) {
	s := &echoSender{status: protocol.AckOK}
	q := New(s, time.Second, 10, nil)
	s.q = q
	res, err := q.Submit(context.Background(), "dev-1", "reboot", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.DeviceID != "dev-1" || q.Pending() != 0 {
		t.Fatalf("res=%+v pending=%d", res, q.Pending())
	}
}

func TestSubmitTimesOut(t *testing.T) {
	q := New(blackhole{}, 20*time.Millisecond, 10, nil)
	_, err := q.Submit(context.Background(), "dev-1", "reboot", nil)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if q.Pending() != 0 {
		t.Fatal("timed-out command still pending")
	}
}

func TestSubmitAllCollectsEveryDevice(t *testing.T) {
	s := &echoSender{status: protocol.AckOK}
	q := New(s, time.Second, 100, nil)
	s.q = q
	got := q.SubmitAll(context.Background(), []string{"a", "b", "c"}, "ping", nil)
	for _, id := range []string{"a", "b", "c"} {
		if r, ok := got[id]; !ok || r.Err != nil {
			t.Errorf("%s: %+v", id, r)
		}
	}
}
