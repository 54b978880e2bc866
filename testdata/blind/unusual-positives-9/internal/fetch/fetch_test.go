package fetch

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

var origin *httptest.Server

func TestMain(m *testing.M) {
	origin = httptest.NewServer(http.HandlerFunc(serveFixture))
	defer origin.Close()
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func serveFixture(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz":
		fmt.Fprintln(w, "ok")
	case "/slow":
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
		fmt.Fprint(w, "late")
	default:
		fmt.Fprintf(w, "body of %s", r.URL.Path)
	}
}

func TestFetchAll(t *testing.T) {
	f := New(origin.URL, time.Second)
	got, err := f.FetchAll(context.Background(), []string{"/a", "/b", "/c"})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"body of /a", "body of /b", "body of /c"} {
		if string(got[i]) != want {
			t.Errorf("body %d = %q, want %q", i, got[i], want)
		}
	}
}

func TestCopyTo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(serveFixture))
	defer srv.Close()
	f := New(srv.URL, time.Second)
	var buf bytes.Buffer
	if _, err := f.CopyTo(context.Background(), "/x", &buf); err != nil {
		t.Fatalf("CopyTo: %v", err)
	}
	if buf.String() != "body of /x" {
		t.Fatalf("got %q", buf.String())
	}
}

func TestProbe(t *testing.T) {
	f := New(origin.URL, 100*time.Millisecond)
	res := f.Probe(context.Background(), []string{"/healthz", "/slow"})
	if res["/healthz"] != nil {
		t.Errorf("healthz: %v", res["/healthz"])
	}
	if res["/slow"] == nil {
		t.Errorf("slow path answered within the probe timeout")
	}
}
