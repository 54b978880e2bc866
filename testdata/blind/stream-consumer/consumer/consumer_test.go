package consumer

import (
	"context"
	"io"
	"log"
	"testing"
	"time"

	"example.com/consumer/broker"
)

func TestConfigDefaults(t *testing.T) {
	c := Config{Group: "g", Topics: []string{"t"}}.WithDefaults()
	if c.Workers != 4 || c.CommitInterval.Duration != 5*time.Second || c.MemberID == "" {
		t.Fatalf("defaults not applied: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidateRejectsEmpty(t *testing.T) {
	if err := (Config{}).WithDefaults().Validate(); err == nil {
		t.Fatal("empty config validated")
	}
}

func TestDurationUnmarshal(t *testing.T) {
	var d Duration
	if err := d.UnmarshalJSON([]byte(`"1500ms"`)); err != nil || d.Duration != 1500*time.Millisecond {
		t.Fatalf("got %v, %v", d.Duration, err)
	}
}

func TestDiff(t *testing.T) {
	a := []broker.TopicPartition{{Topic: "t", Partition: 0}, {Topic: "t", Partition: 1}}
	b := []broker.TopicPartition{{Topic: "t", Partition: 1}}
	if got := diff(a, b); len(got) != 1 || got[0].Partition != 0 {
		t.Fatalf("diff = %v", got)
	}
}

func TestHandleBatchMarksOffsets(t *testing.T) {
	b := broker.New()
	if err := b.CreateTopic("t", 1); err != nil {
		t.Fatal(err)
	}
	var msgs []broker.Message
	for i := 0; i < 3; i++ {
		m, err := b.Produce("t", nil, []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	dir := t.TempDir()
	cfg := Config{Group: "g", Topics: []string{"t"}, DeadLetterDir: dir + "/dlq", OffsetsDir: dir + "/offsets"}
	c, err := New(cfg, b, func(context.Context, broker.Message) error { return nil }, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.HandleBatch(context.Background(), msgs); err != nil {
		t.Fatal(err)
	}
	tp := broker.TopicPartition{Topic: "t"}
	if got := c.committer.Checkpoint().Offsets[tp]; got != 3 {
		t.Fatalf("pending offset = %d, want 3", got)
	}
}
