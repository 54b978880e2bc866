package chunker

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"testing"
)

func chunkAll(t *testing.T, data []byte, minSize, maxSize int) []Chunk {
	t.Helper()
	c := New(bytes.NewReader(data), minSize, maxSize)
	var out []Chunk
	for {
		ch, err := c.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, ch)
	}
}

func TestNextIsDeterministic(t *testing.T) {
	data := make([]byte, 3<<20)
	rand.New(rand.NewSource(1)).Read(data)
	a := chunkAll(t, data, 64<<10, 512<<10)
	b := chunkAll(t, data, 64<<10, 512<<10)
	if len(a) != len(b) {
		t.Fatalf("chunk counts differ: %d vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Offset != b[i].Offset {
			t.Fatalf("chunk %d differs", i)
		}
	}
}

func TestParseIDRoundTrip(t *testing.T) {
	id := Sum([]byte("hello"))
	got, err := ParseID(id.String())
	if err != nil {
		t.Fatal(err)
	}
	if got != id {
		t.Fatalf("round trip: got %s want %s", got, id)
	}
	if _, err := ParseID("abc"); err == nil {
		t.Fatal("short id accepted")
	}
}
