package main

import (
	"strings"
	"testing"
)

func TestParseMessage(t *testing.T) {
	m, ok := parseMessage("reload  config.json ")
	if !ok || m.Op != "reload" || m.Arg != "config.json" {
		t.Fatalf("got %+v, %v", m, ok)
	}
	if _, ok := parseMessage("   "); ok {
		t.Fatal("blank line parsed")
	}
}

func TestDispatchCopySeesEveryMessage(t *testing.T) {
	in := readMessages(strings.NewReader("a 1\nb 2\nc 3\n"))
	seen := make(chan string, 3)
	n := dispatchCopy(in, func(m message) { seen <- m.Op })
	close(seen)
	if n != 3 {
		t.Fatalf("n = %d", n)
	}
	got := map[string]bool{}
	for op := range seen {
		got[op] = true
	}
	if len(got) != 3 {
		t.Fatalf("saw %v", got)
	}
}
