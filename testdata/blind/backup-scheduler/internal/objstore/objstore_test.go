package objstore

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

func TestPutGet(t *testing.T) {
	srv := httptest.NewServer(NewServer(1 << 20))
	defer srv.Close()
	c := NewClient(srv.URL, 5*time.Second)
	ctx := context.Background()
	if err := c.Put(ctx, "home/a.tar.gz", bytes.NewReader([]byte("payload"))); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "home/a.tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "payload" {
		t.Fatalf("Get = %q", got)
	}
}

func TestPutAll(t *testing.T) {
	store := NewServer(1 << 20)
	srv := httptest.NewServer(store)
	t.Cleanup(srv.Close)
	c := NewClient(srv.URL, 5*time.Second)
	objs := map[string][]byte{"a": []byte("1"), "b": []byte("2"), "c": []byte("3")}
	if err := c.PutAll(context.Background(), objs); err != nil {
		t.Fatal(err)
	}
	if store.Len() != 3 {
		t.Fatalf("store has %d objects, want 3", store.Len())
	}
}
