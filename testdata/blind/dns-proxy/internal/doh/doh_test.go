package doh

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
	"example.com/dnsproxy/internal/metrics"
)

func echoNX(_ context.Context, q []byte) ([]byte, error) {
	return dnsmsg.ErrorResponse(q, dnsmsg.RcodeNXDomain)
}

func TestHandlerPOST(t *testing.T) {
	h := NewHandler(echoNX, metrics.NewRegistry(), time.Second)
	q, _ := dnsmsg.NewQuery(42, "blocked.example", dnsmsg.TypeA)
	req := httptest.NewRequest(http.MethodPost, "/dns-query", bytes.NewReader(q))
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || dnsmsg.Rcode(rec.Body.Bytes()) != dnsmsg.RcodeNXDomain {
		t.Fatalf("status %d, body %x", rec.Code, rec.Body.Bytes())
	}
}

func TestHandlerGETOverHTTP(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := NewHandler(echoNX, metrics.NewRegistry(), time.Second)
	h.Start(ctx)
	srv := httptest.NewServer(h)
	defer srv.Close()
	q, _ := dnsmsg.NewQuery(7, "example.org", dnsmsg.TypeAAAA)
	url := srv.URL + "/dns-query?dns=" + base64.RawURLEncoding.EncodeToString(q)
	resp, err := srv.Client().Get(url)
	t.Logf("GET %s", url)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if dnsmsg.ID(body) != 7 {
		t.Fatalf("answer ID = %d, want 7", dnsmsg.ID(body))
	}
}

func TestClientExchange(t *testing.T) {
	srv := httptest.NewServer(NewHandler(echoNX, metrics.NewRegistry(), time.Second))
	defer srv.Close()
	c := &Client{URL: srv.URL + "/dns-query", HTTP: srv.Client()}
	q, _ := dnsmsg.NewQuery(9, "example.net", dnsmsg.TypeA)
	resp, err := c.Exchange(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if dnsmsg.ID(resp) != 9 {
		t.Fatalf("ID = %d", dnsmsg.ID(resp))
	}
}
