package ratelimit

import (
	"bytes"
	"context"
	"testing"
	"time"
)

func TestWriterThrottles(t *testing.T) {
	l := New(64<<10, 16<<10, 10*time.Millisecond)
	defer l.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	var buf bytes.Buffer
	w := NewWriter(ctx, &buf, l)
	start := time.Now()
	n, err := w.Write(make([]byte, 48<<10))
	if err != nil {
		t.Fatal(err)
	}
	if n != 48<<10 || buf.Len() != n {
		t.Fatalf("wrote %d, buffered %d", n, buf.Len())
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Fatalf("48KiB at 64KiB/s took only %s", el)
	}
}
