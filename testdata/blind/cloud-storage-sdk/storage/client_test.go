package storage

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/cloudstoragesdk/credentials"
)

func newTestClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{
		Endpoint:    srv.URL,
		Bucket:      "test",
		Credentials: credentials.StaticProvider{Creds: credentials.Credentials{AccessKeyID: "AK", SecretAccessKey: "SK"}},
		MaxRetries:  2,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPutAndGetObject(t *testing.T) {
	stored := map[string]string{}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "unsigned", http.StatusForbidden)
			return
		}
		switch r.Method {
		case http.MethodPut:
			b, _ := io.ReadAll(r.Body)
			stored[r.URL.Path] = string(b)
			w.Header().Set("ETag", `"abc"`)
		case http.MethodGet:
			io.WriteString(w, stored[r.URL.Path])
		}
	}))
	ctx := context.Background()
	etag, err := c.PutObject(ctx, "a/b.txt", []byte("hello"), "text/plain")
	if err != nil || etag != `"abc"` {
		t.Fatalf("PutObject = %q, %v", etag, err)
	}
	body, _, err := c.GetObject(ctx, "a/b.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	got, _ := io.ReadAll(body)
	if string(got) != "hello" {
		t.Fatalf("GetObject = %q", got)
	}
}

func TestExistsNotFound(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	}))
	ok, err := c.Exists(context.Background(), "missing")
	if err != nil || ok {
		t.Fatalf("Exists = %v, %v; want false, nil", ok, err)
	}
}

func TestListObjectsFollowsTokens(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := listPage{Objects: []ObjectInfo{{Key: "k1"}}, NextToken: "t2"}
		if r.URL.Query().Get("continuation-token") == "t2" {
			page = listPage{Objects: []ObjectInfo{{Key: "k2"}}}
		}
		json.NewEncoder(w).Encode(page)
	}))
	objs, err := c.ListObjects(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[1].Key != "k2" {
		t.Fatalf("ListObjects = %+v", objs)
	}
}

func TestDownloadToFile(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 1000))
	}))
	dst := filepath.Join(t.TempDir(), "out")
	if err := c.DownloadToFile(context.Background(), "k", dst); err != nil {
		t.Fatal(err)
	}
}

func TestPresignRoundTrip(t *testing.T) {
	c := newTestClient(t, http.NotFoundHandler())
	p := NewPresigner(c)
	fixed := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return fixed }
	raw, err := p.PresignGet(context.Background(), "docs/report.pdf", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyPresigned("SK", "", "GET", u, fixed.Add(30*time.Minute)); err != nil {
		t.Fatalf("valid URL rejected: %v", err)
	}
	if err := VerifyPresigned("SK", "", "GET", u, fixed.Add(2*time.Hour)); err == nil {
		t.Fatal("expired URL accepted")
	}
	if err := VerifyPresigned("other", "", "GET", u, fixed); err == nil {
		t.Fatal("URL accepted with the wrong secret")
	}
}
