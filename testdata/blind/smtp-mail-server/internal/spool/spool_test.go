package spool

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteThenDue(t *testing.T) {
	sp, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := Envelope{From: "alice@example.org", To: []string{"bob@example.net"}}
	id, err := sp.Write(env, strings.NewReader("Subject: hi\r\n\r\nhello\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	due, err := sp.Due(time.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].ID != id {
		t.Fatalf("due = %+v, want message %s", due, id)
	}

	var bodies []string
	err = sp.EachBody(func(id string, r io.Reader) error {
		b, err := io.ReadAll(r)
		bodies = append(bodies, string(b))
		return err
	})
	if err != nil || len(bodies) != 1 || !strings.Contains(bodies[0], "hello") {
		t.Fatalf("EachBody: %v %q", err, bodies)
	}
}

func TestArchive(t *testing.T) {
	dir := t.TempDir()
	sp, err := Open(filepath.Join(dir, "spool"))
	if err != nil {
		t.Fatal(err)
	}
	id, err := sp.Write(Envelope{From: "a@example.org", To: []string{"b@example.net"}}, strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.Archive(filepath.Join(dir, "out.tgz"), []string{id}); err != nil {
		t.Fatal(err)
	}
	if err := sp.Archive(filepath.Join(dir, "bad.tgz"), []string{"missing"}); err == nil {
		t.Fatal("archiving a missing message should fail")
	}
}
