package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAbortWritesStatus(t *testing.T) {
	rt := NewRouter()
	rt.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "0" {
			Abort(http.StatusNotFound, "no item 0")
		}
		w.WriteHeader(http.StatusNoContent)
	})
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items/0", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", rec.Code)
	}
}

func TestForeignPanicPropagates(t *testing.T) {
	rt := NewRouter()
	rt.HandleFunc("/", func(http.ResponseWriter, *http.Request) { panic("kaboom") })
	defer func() {
		if v := recover(); v != "kaboom" {
			t.Fatalf("recovered %v, want kaboom", v)
		}
	}()
	rt.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	t.Fatal("ServeHTTP returned normally")
}

func TestBufferedResponseCommit(t *testing.T) {
	var gotStatus, gotSize int
	rec := httptest.NewRecorder()
	b := NewBufferedResponse(rec, func(status, size int) error {
		gotStatus, gotSize = status, size
		return nil
	})
	b.WriteHeader(http.StatusAccepted)
	if _, err := b.Write([]byte("queued")); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusAccepted || rec.Body.String() != "queued" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	if gotStatus != http.StatusAccepted || gotSize != 6 {
		t.Fatalf("hook saw %d/%d", gotStatus, gotSize)
	}
}
