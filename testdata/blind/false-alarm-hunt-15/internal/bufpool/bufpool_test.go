package bufpool

import (
	"bytes"
	"testing"
)

func TestMarshalJSONCopies(t *testing.T) {
	a, err := MarshalJSON(map[string]int{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := MarshalJSON(map[string]int{"b": 2})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Fatalf("buffers aliased: %q %q", a, b)
	}
}

func BenchmarkWriteJSON(b *testing.B) {
	var sink bytes.Buffer
	for i := 0; i < b.N; i++ {
		sink.Reset()
		if err := WriteJSON(&sink, []int{1, 2, 3}); err != nil {
			b.Fatal(err)
		}
	}
}
