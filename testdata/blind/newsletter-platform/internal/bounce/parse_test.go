package bounce

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleDSN = `From: MAILER-DAEMON@mx.example.net
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; Gone@Example.org
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; full@example.org
Action: failed
Status: 5.2.2
`

func TestParseDSN(t *testing.T) {
	evs, err := ParseDSN(strings.NewReader(sampleDSN))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("got %d events: %v", len(evs), evs)
	}
	if !evs[0].Hard || evs[0].Recipient != "gone@example.org" {
		t.Fatalf("first event = %+v", evs[0])
	}
	if evs[1].Hard {
		t.Fatalf("mailbox full must be soft: %+v", evs[1])
	}
}

func TestParseFixtures(t *testing.T) {
	dir := t.TempDir()
	for i, body := range []string{sampleDSN, strings.ReplaceAll(sampleDSN, "5.1.1", "4.4.1")} {
		name := filepath.Join(dir, "report"+string(rune('a'+i))+".eml")
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := ParseDSN(f); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestParseLoose(t *testing.T) {
	cases := map[string]bool{
		"Delivery failed permanently for <x@example.com>": true,
		"no address here": false,
	}
	for subject, want := range cases {
		t.Run(subject, func(t *testing.T) {
			_, ok := parseLoose(subject)
			if ok != want {
				t.Fatalf("parseLoose(%q) ok = %v, want %v", subject, ok, want)
			}
		})
	}
}
