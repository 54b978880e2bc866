package broker

import (
	"errors"
	"fmt"
	"testing"
)

func TestProduceFetch(t *testing.T) {
	b := New()
	defer b.Close()
	if err := b.CreateTopic("orders", 3); err != nil {
		t.Fatal(err)
	}
	var produced []Message
	for i := 0; i < 12; i++ {
		m, err := b.Produce("orders", []byte(fmt.Sprintf("k%d", i)), []byte("v"))
		if err != nil {
			t.Fatalf("produce %d: %v", i, err)
		}
		produced = append(produced, m)
	}
	for _, want := range produced {
		got, err := b.Fetch(want.TP(), want.Offset, 1)
		if err != nil {
			t.Fatalf("fetch %s@%d: %v", want.TP(), want.Offset, err)
		}
		if len(got) != 1 || string(got[0].Key) != string(want.Key) {
			t.Fatalf("fetch %s@%d = %v, want key %s", want.TP(), want.Offset, got, want.Key)
		}
	}
}

func TestFetchOutOfRange(t *testing.T) {
	b := New()
	if err := b.CreateTopic("t", 1); err != nil {
		t.Fatal(err)
	}
	_, err := b.Fetch(TopicPartition{Topic: "t"}, 5, 10)
	if !errors.Is(err, ErrOffsetOutOfRange) {
		t.Fatalf("err = %v, want ErrOffsetOutOfRange", err)
	}
}

func TestCommitOffsets(t *testing.T) {
	b := New()
	tp := TopicPartition{Topic: "t", Partition: 2}
	if err := b.CommitOffsets("g", map[TopicPartition]int64{tp: 42}); err != nil {
		t.Fatal(err)
	}
	if off, ok := b.Committed("g", tp); !ok || off != 42 {
		t.Fatalf("Committed = %d, %v; want 42, true", off, ok)
	}
}

func TestParseTopicPartition(t *testing.T) {
	cases := []struct {
		in      string
		want    TopicPartition
		wantErr bool
	}{
		{"orders-3", TopicPartition{"orders", 3}, false},
		{"web-clicks-0", TopicPartition{"web-clicks", 0}, false},
		{"orders", TopicPartition{}, true},
		{"orders-", TopicPartition{}, true},
		{"-1", TopicPartition{}, true},
	}
	for _, c := range cases {
		got, err := ParseTopicPartition(c.in)
		if (err != nil) != c.wantErr || got != c.want {
			t.Errorf("ParseTopicPartition(%q) = %v, %v", c.in, got, err)
		}
	}
}
