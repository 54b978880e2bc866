package dbconn

import (
	"context"
	"log"
	"testing"
	"time"

	"example.com/databaselayer/internal/fakedb"
)

func testConfig(t *testing.T) Config {
	cfg := DefaultConfig("dbconn/" + t.Name())
	cfg.PingTimeout = 100 * time.Millisecond
	return cfg
}

func TestValidate(t *testing.T) {
	cfg := DefaultConfig("x")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cfg.MaxIdle = cfg.MaxOpen + 1
	if err := cfg.Validate(); err == nil {
		t.Fatal("MaxIdle > MaxOpen accepted")
	}
}

func TestRedacted(t *testing.T) {
	cfg := Config{DSN: "app:secret@db:5432/app"}
	if got := cfg.Redacted(); got != "***@db:5432/app" {
		t.Fatalf("Redacted = %q", got)
	}
}

func TestOpenTracksHealth(t *testing.T) {
	cfg := testConfig(t)
	db, err := Open(context.Background(), cfg, log.New(testWriter{t}, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if !db.Healthy() {
		t.Fatal("fresh pool reported unhealthy")
	}
	db.SQL().SetMaxIdleConns(0)
	fakedb.SetDown(cfg.DSN, true)
	t.Cleanup(func() { fakedb.SetDown(cfg.DSN, false) })
	if err := db.Ping(context.Background()); err == nil {
		t.Fatal("ping succeeded while down")
	}
	if s := db.Status(); s.Healthy || s.Failures != 1 {
		t.Fatalf("status = %+v, want unhealthy with one failure", s)
	}
}

func TestCheckAllBuffered(t *testing.T) {
	a, err := Open(context.Background(), testConfig(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := CheckAllBuffered(context.Background(), map[string]*DB{"a": a}); err != nil {
		t.Fatal(err)
	}
}

func TestHistogram(t *testing.T) {
	var h Histogram
	h.Observe(10 * time.Millisecond)
	h.Observe(30 * time.Millisecond)
	if h.Mean() != 20*time.Millisecond || h.Max() != 30*time.Millisecond {
		t.Fatalf("mean %s max %s", h.Mean(), h.Max())
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
