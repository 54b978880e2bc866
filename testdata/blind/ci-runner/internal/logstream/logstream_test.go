package logstream

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestRedactorMasksSecrets(t *testing.T) {
	var out bytes.Buffer
	r := NewRedactor(&out, SecretRule([]string{"hunter22"}))
	if _, err := r.Write([]byte("token=hunter22\npartial")); err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "token=***\npartial"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestReadTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	var b bytes.Buffer
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTail(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"line 8", "line 9", "line 10"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadTail = %v, want %v", got, want)
	}
}

func TestFileSinkCloseFlushes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "job.log")
	s, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "hello\n" {
		t.Fatalf("file = %q", data)
	}
	if _, err := s.Write([]byte("x")); err != ErrClosed {
		t.Fatalf("write after close: %v", err)
	}
}
