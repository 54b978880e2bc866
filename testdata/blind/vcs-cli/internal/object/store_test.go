package object

import (
	"testing"
)

func TestWriteReadRoundTrip(t *testing.T) {
	s := NewStore(t.TempDir(), 4)
	id, err := s.Write(KindBlob, []byte("hello\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := id.String(), "ce013625030ba8dba906f756967f9e9ca394464a"; got != want {
		t.Fatalf("id = %s, want %s", got, want)
	}
	kind, data, err := s.Read(id)
	if err != nil {
		t.Fatal(err)
	}
	if kind != KindBlob || string(data) != "hello\n" {
		t.Fatalf("read back %v %q", kind, data)
	}
	n, err := s.Size(id)
	if err != nil || n != 6 {
		t.Fatalf("Size = %d, %v", n, err)
	}
}
