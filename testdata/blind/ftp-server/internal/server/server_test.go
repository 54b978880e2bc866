package server

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/ftpsrv/internal/auth"
	"example.com/ftpsrv/internal/protocol"
	"example.com/ftpsrv/internal/quota"
)

// startServer runs a server on a loopback port with one user whose home
// is a fresh temp dir.
func startServer(t *testing.T) (addr, home string, srv *Server) {
	t.Helper()
	home = t.TempDir()
	users, err := auth.ParseUsers(strings.NewReader(
		"alice:salt:" + auth.HashPassword("salt", "pw") + ":" + home + ":0\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err = New(Config{PassiveMin: 42000, PassiveMax: 42099, IdleTimeout: 10 * time.Second},
		auth.NewStore(users), quota.NewManager(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return ln.Addr().String(), home, srv
}

// expect sends a command and checks the reply code.
func expect(t *testing.T, c *protocol.Conn, code int, format string, args ...any) protocol.Reply {
	t.Helper()
	if format != "" {
		if err := c.Send(format, args...); err != nil {
			t.Fatal(err)
		}
	}
	r, err := c.ReadReply(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != code {
		t.Fatalf("%q: got %d %v, want %d", format, r.Code, r.Lines, code)
	}
	return r
}

func TestLoginAndDownload(t *testing.T) {
	addr, home, _ := startServer(t)
	if err := os.WriteFile(filepath.Join(home, "hello.txt"), []byte("hello, world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := protocol.NewConn(raw)

	expect(t, c, protocol.CodeReady, "")
	expect(t, c, protocol.CodeNeedPassword, "USER alice")
	expect(t, c, protocol.CodeLoggedIn, "PASS pw")
	r := expect(t, c, protocol.CodePassive, "PASV")
	dataAddr, err := protocol.ParsePASV(r.Lines[0])
	if err != nil {
		t.Fatal(err)
	}
	dc, err := net.Dial("tcp", dataAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	expect(t, c, protocol.CodeDataOpen, "RETR hello.txt")
	body, err := io.ReadAll(dc)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, c, protocol.CodeTransferDone, "")
	if string(body) != "hello, world\n" {
		t.Fatalf("body = %q", body)
	}
	expect(t, c, protocol.CodeClosing, "QUIT")
}
