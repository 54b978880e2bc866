package offsets

import (
	"errors"
	"io"
	"log"
	"sync"
	"testing"

	"example.com/consumer/broker"
)

type recordingSink struct {
	mu      sync.Mutex
	commits []map[broker.TopicPartition]int64
	fail    error
}

func (s *recordingSink) CommitOffsets(group string, offs map[broker.TopicPartition]int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.commits = append(s.commits, offs)
	return nil
}

var tp0 = broker.TopicPartition{Topic: "t", Partition: 0}

func TestFlushBatchesMarks(t *testing.T) {
	sink := &recordingSink{}
	c := NewCommitter("g", sink, 0, log.New(io.Discard, "", 0))
	c.Mark(tp0, 3)
	c.Mark(tp0, 7)
	c.Mark(tp0, 5) // must not move backwards
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(sink.commits) != 1 || sink.commits[0][tp0] != 7 {
		t.Fatalf("commits = %v, want one commit of offset 7", sink.commits)
	}
}

func TestFlushRequeuesOnError(t *testing.T) {
	sink := &recordingSink{fail: errors.New("broker down")}
	c := NewCommitter("g", sink, 0, log.New(io.Discard, "", 0))
	c.Mark(tp0, 9)
	if err := c.Flush(); err == nil {
		t.Fatal("Flush succeeded against a failing sink")
	}
	if got := c.Checkpoint().Offsets[tp0]; got != 9 {
		t.Fatalf("pending offset after failure = %d, want 9", got)
	}
}

func TestFileStoreRoundTrip(t *testing.T) {
	s := NewFileStore(t.TempDir())
	want := map[broker.TopicPartition]int64{tp0: 12, {Topic: "u", Partition: 3}: 4}
	if err := s.Save("billing", want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("billing")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || got[tp0] != 12 {
		t.Fatalf("Load = %v, want %v", got, want)
	}
}
