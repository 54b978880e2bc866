package metrics

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/consumer/broker"
)

type fakeView struct {
	lag map[broker.TopicPartition]int64
}

func (v *fakeView) Assigned() []broker.TopicPartition    { return nil }
func (v *fakeView) Lag() map[broker.TopicPartition]int64 { return v.lag }
func (v *fakeView) Pause(broker.TopicPartition) bool     { return false }
func (v *fakeView) Resume(broker.TopicPartition) bool    { return false }

func newTestAdmin() *Admin {
	reg := NewRegistry()
	reg.Counter("messages_processed").Add(3)
	view := &fakeView{lag: map[broker.TopicPartition]int64{{Topic: "t", Partition: 1}: 5}}
	return NewAdmin(AdminConfig{Registry: reg, View: view, Logger: log.New(io.Discard, "", 0)})
}

func TestMetricsEndpoint(t *testing.T) {
	srv := httptest.NewServer(newTestAdmin().Routes())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "messages_processed 3") {
		t.Fatalf("metrics body = %q", body)
	}
}

func TestLagEndpoint(t *testing.T) {
	rec := httptest.NewRecorder()
	newTestAdmin().Routes().ServeHTTP(rec, httptest.NewRequest("GET", "/lag", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"t-1":5`) {
		t.Fatalf("lag = %d %q", rec.Code, rec.Body.String())
	}
}

func TestDLQRejectsTraversal(t *testing.T) {
	rec := httptest.NewRecorder()
	newTestAdmin().Routes().ServeHTTP(rec, httptest.NewRequest("GET", "/dlq/..%2Fsecret.jsonl", nil))
	if rec.Code == http.StatusOK {
		t.Fatalf("traversal was served: %d", rec.Code)
	}
}
