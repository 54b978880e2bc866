package client

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/ftpsrv/internal/auth"
	"example.com/ftpsrv/internal/quota"
	"example.com/ftpsrv/internal/server"
)

// TestPutGetRoundTrip runs the client against a real server on loopback.
func TestPutGetRoundTrip(t *testing.T) {
	home := t.TempDir()
	users, err := auth.ParseUsers(strings.NewReader(
		"bob:s:" + auth.HashPassword("s", "pw") + ":" + home + ":0\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{PassiveMin: 43000, PassiveMax: 43099},
		auth.NewStore(users), quota.NewManager(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, Config{Addr: ln.Addr().String(), User: "bob", Password: "pw", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	local := filepath.Join(t.TempDir(), "up.txt")
	if err := os.WriteFile(local, []byte("round trip\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.PutFile(ctx, local, "up.txt"); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := c.Retrieve(ctx, "up.txt", &got); err != nil {
		t.Fatal(err)
	}
	if got.String() != "round trip\n" {
		t.Fatalf("downloaded %q", got.String())
	}
}
