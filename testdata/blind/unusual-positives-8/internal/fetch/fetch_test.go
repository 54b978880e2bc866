package fetch

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

var mirrorURL string

func TestMain(m *testing.M) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok.bin":
			fmt.Fprint(w, "payload")
		case "/ok.bin.sha256":
			fmt.Fprint(w, "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5  ok.bin\n")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	mirrorURL = srv.URL
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func newTestClient() *Client {
	return New([]string{mirrorURL}, log.New(&bytes.Buffer{}, "", 0))
}

func TestHead(t *testing.T) {
	size, err := newTestClient().Head(context.Background(), "ok.bin")
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len("payload")) {
		t.Fatalf("size = %d", size)
	}
}

func TestAll(t *testing.T) {
	c := newTestClient()
	c.Mirrors = []string{mirrorURL, mirrorURL + "/"}
	res := c.All(context.Background(), "ok.bin")
	if len(res) != 2 {
		t.Fatalf("got %d results", len(res))
	}
	for _, r := range res {
		if r.Err != nil || string(r.Body) != "payload" {
			t.Fatalf("result %+v", r)
		}
	}
}

func TestFetchAnyMissing(t *testing.T) {
	if _, err := newTestClient().FetchAny(context.Background(), "missing.bin"); err == nil {
		t.Fatal("FetchAny of a missing file succeeded")
	}
}

func TestHealth(t *testing.T) {
	errs := newTestClient().Health(context.Background())
	if len(errs) != 1 || errs[0] != nil {
		t.Fatalf("Health = %v", errs)
	}
}
