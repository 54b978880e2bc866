package bounce

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestBuildAndParse(t *testing.T) {
	g := &Generator{Hostname: "mx.example.org", Postmaster: "postmaster@example.org", MaxExcerpt: 512}
	f := Failure{ID: "1.2.3", From: "alice@example.org", Rcpt: "bob@example.net", Reason: "550 5.1.1 no such user", Permanent: true, Arrived: time.Now()}
	msg, err := g.Build(f, []byte("Subject: hello\r\n\r\n"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(msg, []byte("Status: 5.0.0")) {
		t.Fatalf("no status in bounce:\n%s", msg)
	}
	rep, err := ParseStatus([]byte("Final-Recipient: rfc822; bob@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.FinalRecipient != "bob@example.net" || rep.Action != "failed" || rep.Status != "5.1.1" {
		t.Fatalf("unexpected report %+v", rep)
	}

	f.From = ""
	if _, err := g.Build(f, nil, time.Now()); !errors.Is(err, ErrNullSender) {
		t.Fatalf("null sender: err = %v", err)
	}
}
