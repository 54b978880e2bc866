package server

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/ekv/kv"
)

var testDB *kv.DB

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kvserver-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	db, err := kv.Open(filepath.Join(dir, "test.ekv"), &kv.Options{PageSize: 1024, NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	testDB = db

	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code) // HAZ exit-skips-defer
}

func startServer(t *testing.T) (*Server, string) {
	t.Helper()
	srv := New(testDB, Options{BackupDir: t.TempDir(), RequestTimeout: time.Second})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return srv, ln.Addr().String()
}

func roundTrip(t *testing.T, conn net.Conn, br *bufio.Reader, line string) string {
	t.Helper()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintf(conn, "%s\r\n", line); err != nil {
		t.Fatal(err)
	}
	resp, err := br.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(resp, "$") && resp != "$-1\r\n" {
		body, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		resp += body
	}
	return resp
}

func TestPingSetGet(t *testing.T) {
	_, addr := startServer(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)

	if got := roundTrip(t, conn, br, "PING"); got != "+PONG\r\n" {
		t.Fatalf("PING -> %q", got)
	}
	if got := roundTrip(t, conn, br, "SET greeting hello"); got != "+OK\r\n" {
		t.Fatalf("SET -> %q", got)
	}
	if got := roundTrip(t, conn, br, "GET greeting"); got != "$5\r\nhello\r\n" {
		t.Fatalf("GET -> %q", got)
	}
	if got := roundTrip(t, conn, br, "GET missing"); got != "$-1\r\n" {
		t.Fatalf("GET missing -> %q", got)
	}
}

func TestReadRequestArray(t *testing.T) {
	in := "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$5\r\nv\r\nv2\r\n"
	req, err := readRequest(bufio.NewReader(strings.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	if req.cmd != "SET" || len(req.args) != 2 || !bytes.Equal(req.args[1], []byte("v\r\nv2")) {
		t.Fatalf("got %+v", req)
	}
}

func TestReadRequestRejectsHugeBulk(t *testing.T) {
	in := fmt.Sprintf("*1\r\n$%d\r\n", maxBulkLen+1)
	if _, err := readRequest(bufio.NewReader(strings.NewReader(in))); err == nil {
		t.Fatal("expected a protocol error")
	}
}

func TestReplyEncoding(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	r := arrayReply{simpleReply("OK"), intReply(3), bulkReply(nil), bulkReply("x")}
	if err := r.encode(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "*4\r\n+OK\r\n:3\r\n$-1\r\n$1\r\nx\r\n"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}
