package schema

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestLookupCachesAndParsesFields(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"id":"7","subject":"orders","version":2,"fields":[{"name":"sku"},{"name":"id"}]}`)
	}))
	defer srv.Close()

	c := NewClient(srv.URL, srv.Client(), log.New(io.Discard, "", 0))
	for i := 0; i < 3; i++ {
		s, err := c.Lookup(context.Background(), "7")
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Fields) != 2 || s.Fields[0] != "id" {
			t.Fatalf("fields = %v, want [id sku]", s.Fields)
		}
	}
	if hits.Load() != 1 {
		t.Fatalf("registry hit %d times, want 1", hits.Load())
	}
}
