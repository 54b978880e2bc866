package protocol

import (
	"net"
	"strings"
	"testing"
	"time"
)

func TestParseCommand(t *testing.T) {
	cases := []struct {
		line string
		want Command
		ok   bool
	}{
		{"USER alice\r\n", Command{Verb: "USER", Arg: "alice"}, true},
		{"stor my file.txt", Command{Verb: "STOR", Arg: "my file.txt"}, true},
		{"  NOOP", Command{Verb: "NOOP"}, true},
		{"", Command{}, false},
		{"X1 y", Command{}, false},
		{"TOOLONG a", Command{}, false},
	}
	for _, tc := range cases {
		got, err := ParseCommand(tc.line)
		if (err == nil) != tc.ok {
			t.Errorf("ParseCommand(%q) err = %v, want ok=%v", tc.line, err, tc.ok)
			continue
		}
		if tc.ok && got != tc.want {
			t.Errorf("ParseCommand(%q) = %+v, want %+v", tc.line, got, tc.want)
		}
	}
}

func TestReplyOverPipe(t *testing.T) {
	srv, cli := net.Pipe()
	defer srv.Close()
	defer cli.Close()

	s, c := NewConn(srv), NewConn(cli)
	errc := make(chan error, 1)
	go func() {
		errc <- s.Reply(CodeReady, "hello %s", "there")
	}()
	r, err := c.ReadReply(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if r.Code != CodeReady || !strings.Contains(r.Lines[0], "hello there") {
		t.Fatalf("unexpected reply %+v", r)
	}
}
