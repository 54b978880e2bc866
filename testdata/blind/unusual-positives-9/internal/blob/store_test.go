package blob

import (
	"io"
	"strings"
	"testing"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(t.TempDir(), Hooks{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPutGetSealVerify(t *testing.T) {
	st := newTestStore(t)
	if err := st.Put("greeting", strings.NewReader("hello\nworld\n")); err != nil {
		t.Fatal(err)
	}
	rc, err := st.Get("greeting")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "hello\nworld\n" {
		t.Fatalf("content = %q", b)
	}
	if err := st.Seal("greeting"); err != nil {
		t.Fatal(err)
	}
	if err := st.Verify("greeting"); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestGrep(t *testing.T) {
	st := newTestStore(t)
	if err := st.Put("log", strings.NewReader("a\nerr 1\nb\nerr 2\nerr 3\n")); err != nil {
		t.Fatal(err)
	}
	got := st.Grep("log", "err", 2)
	if len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Fatalf("Grep = %v, want [1 3]", got)
	}
}
