package replay

import (
	"context"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/webhooks/internal/delivery"
	"example.com/webhooks/internal/metrics"
)

type okSender struct{ sent []string }

func (s *okSender) Deliver(_ context.Context, d delivery.Delivery) delivery.Result {
	s.sent = append(s.sent, d.ID)
	return delivery.Result{DeliveryID: d.ID, Status: 200, Attempts: 1}
}

func TestFilterMatch(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	f := Filter{Tenant: "acme", Since: t0, Until: t0.Add(time.Hour)}
	cases := []struct {
		d    delivery.Delivery
		want bool
	}{
		{delivery.Delivery{TenantID: "acme", CreatedAt: t0.Add(time.Minute)}, true},
		{delivery.Delivery{TenantID: "other", CreatedAt: t0.Add(time.Minute)}, false},
		{delivery.Delivery{TenantID: "acme", CreatedAt: t0.Add(-time.Minute)}, false},
		{delivery.Delivery{TenantID: "acme", CreatedAt: t0.Add(time.Hour)}, false},
	}
	for i, tc := range cases {
		if got := f.Match(tc.d); got != tc.want {
			t.Errorf("case %d: Match = %v, want %v", i, got, tc.want)
		}
	}
}

func TestLoadManifestResolvesRelativeFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(path, []byte(`{"incident":"INC-42","files":["a.jsonl.gz","/abs/b.jsonl.gz"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := LoadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if m.Files[0] != filepath.Join(dir, "a.jsonl.gz") || m.Files[1] != "/abs/b.jsonl.gz" {
		t.Fatalf("files = %v", m.Files)
	}
}

func TestRunAndReportSendsPlainExport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "deliveries.jsonl")
	data := `{"id":"a","tenant_id":"acme","event":"x"}` + "\n" + `{"id":"b","tenant_id":"other","event":"x"}` + "\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	send := &okSender{}
	r := New(send, Options{Filter: Filter{Tenant: "acme"}}, metrics.New(), log.New(io.Discard, "", 0))
	c, err := r.RunAndReport(context.Background(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if c.Sent != 1 || c.Skipped != 1 || len(send.sent) != 1 {
		t.Fatalf("counts = %+v, sent = %v", c, send.sent)
	}
}
