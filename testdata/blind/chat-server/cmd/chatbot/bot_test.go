package main

import (
	"testing"
	"time"
)

func TestParseLatency(t *testing.T) {
	sent := time.Unix(1700000000, 0)
	line := "MSG #load bot1 1700000000000 bot1 says 7 " + itoa(sent.UnixNano())
	d, ok := parseLatency(line, sent.Add(15*time.Millisecond))
	if !ok || d != 15*time.Millisecond {
		t.Fatalf("parseLatency = %v, %v", d, ok)
	}
	if _, ok := parseLatency("PONG x", sent); ok {
		t.Fatal("PONG parsed as a bot message")
	}
}

func TestSummaryPercentiles(t *testing.T) {
	var r Recorder
	for i := 0; i < 100; i++ {
		r.buckets[3].Add(1)
	}
	s := r.Summary()
	if s.P50 != 8*time.Millisecond || s.P99 != 8*time.Millisecond {
		t.Fatalf("summary = %+v", s)
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
