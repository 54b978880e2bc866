package replica

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"example.com/fah19/internal/storage"
)

func newTestReplica(t *testing.T) *Replica {
	t.Helper()
	e, err := storage.Open(t.TempDir(), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Error(err)
		}
	})
	return NewReplica(1, 1, e, NewTracer(16))
}

func putCmd(key, value string) []byte {
	cmd := binary.AppendUvarint(nil, uint64(len(key)))
	cmd = append(cmd, key...)
	return append(cmd, value...)
}

func TestProposeNeedsLease(t *testing.T) {
	r := newTestReplica(t)
	var nle *NotLeaseholderError
	if _, err := r.Propose(putCmd("a", "1")); !errors.As(err, &nle) {
		t.Fatalf("Propose without lease = %v, want NotLeaseholderError", err)
	}
	if _, err := r.RequestLease(time.Minute); err != nil {
		t.Fatal(err)
	}
	done, err := r.Propose(putCmd("a", "1"))
	if err != nil {
		t.Fatal(err)
	}
	r.handleRaftReady(context.Background())
	select {
	case <-done:
	default:
		t.Fatal("proposal not applied")
	}
	if got := r.AppliedIndex(); got != 1 {
		t.Fatalf("applied index %d, want 1", got)
	}
}
