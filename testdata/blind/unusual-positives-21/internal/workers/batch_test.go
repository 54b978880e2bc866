package workers

import (
	"errors"
	"io"
	"log"
	"sync/atomic"
	"testing"
)

func TestRunBatchSafeSkipsFailures(t *testing.T) {
	jobs := []Job{{ID: "a", Size: 1}, {ID: "b", Size: 2}, {ID: "c", Size: 3}}
	run := func(j Job) (Result, error) {
		if j.ID == "b" {
			return Result{}, errors.New("boom")
		}
		return Result{JobID: j.ID, Bytes: j.Size}, nil
	}
	got := RunBatchSafe(jobs, run, log.New(io.Discard, "", 0))
	if len(got) != 2 {
		t.Fatalf("got %d results, want 2", len(got))
	}
}

func TestBroadcastOnceReleasesEveryPeer(t *testing.T) {
	var sent atomic.Int64
	send := func(peer string, m Message) error {
		sent.Add(1)
		if peer == "p2" {
			return errors.New("unreachable")
		}
		return nil
	}
	BroadcastOnce([]string{"p1", "p2", "p3"}, Message{Digest: "d"}, send, log.New(io.Discard, "", 0))
	if sent.Load() != 3 {
		t.Fatalf("sent = %d, want 3", sent.Load())
	}
}

func TestUploadNonEmptyJoinsErrors(t *testing.T) {
	blobs := []Job{{ID: "a", Size: 0}, {ID: "b", Size: 5}}
	err := UploadNonEmpty(blobs, func(j Job) error { return errors.New("upload " + j.ID) })
	if err == nil || err.Error() != "upload b" {
		t.Fatalf("err = %v, want upload b", err)
	}
}
