package tcpproxy

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"example.com/fah26/internal/backend"
)

func TestPipeCopiesBothWays(t *testing.T) {
	clientSide, proxyClient := net.Pipe()
	proxyUpstream, upstreamSide := net.Pipe()

	type result struct {
		sent, received int64
		err            error
	}
	done := make(chan result, 1)
	go func() {
		s, r, err := Pipe(proxyClient, proxyUpstream, time.Second)
		done <- result{s, r, err}
	}()

	// upstream echoes one message in upper case, then hangs up
	go func() {
		buf := make([]byte, 5)
		if _, err := io.ReadFull(upstreamSide, buf); err == nil {
			io.WriteString(upstreamSide, strings.ToUpper(string(buf)))
		}
		upstreamSide.Close()
	}()

	io.WriteString(clientSide, "hello")
	got, _ := io.ReadAll(clientSide)
	clientSide.Close()
	if string(got) != "HELLO" {
		t.Fatalf("client got %q", got)
	}
	select {
	case r := <-done:
		if r.sent != 5 || r.received != 5 {
			t.Fatalf("sent=%d received=%d", r.sent, r.received)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Pipe did not return")
	}
}

func TestAdminExec(t *testing.T) {
	pool, err := backend.NewPool(backend.New("a", "127.0.0.1:1", 0))
	if err != nil {
		t.Fatal(err)
	}
	a := &Admin{Pool: pool}
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"drain", "a"}, "+OK"},
		{[]string{"undrain", "a"}, "+OK"},
		{[]string{"undrain", "a"}, "-ERR not draining"},
		{[]string{"drain", "zzz"}, "-ERR unknown backend"},
	}
	for _, tc := range cases {
		if got, _ := a.exec(tc.in); got != tc.want {
			t.Errorf("exec(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
