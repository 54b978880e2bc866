package quota

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type recordingAuditor struct {
	ops []string
}

func (a *recordingAuditor) Record(op string, err error) {
	if err != nil {
		op += ": " + err.Error()
	}
	a.ops = append(a.ops, op)
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir, &recordingAuditor{})
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	s.SetLimit("acme", 1000, start)
	if _, err := s.Consume("acme", 250); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if s.Dirty() {
		t.Fatal("store still dirty after Save")
	}

	loaded := NewStore(dir, nil)
	if err := loaded.Load(); err != nil {
		t.Fatal(err)
	}
	u, ok := loaded.Get("acme")
	if !ok || u.Used != 250 || u.Limit != 1000 {
		t.Fatalf("loaded %+v, %v", u, ok)
	}
}

func TestConsumeOverQuota(t *testing.T) {
	s := NewStore(t.TempDir(), nil)
	s.SetLimit("acme", 10, time.Now())
	if _, err := s.Consume("acme", 11); !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("err = %v, want ErrQuotaExceeded", err)
	}
}

func TestLoadWithTimeoutReadsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "q.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"tenants":[{"tenant":"a","used":3}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	snap, err := LoadWithTimeout(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tenants) != 1 || snap.Tenants[0].Used != 3 {
		t.Fatalf("snapshot = %+v", snap)
	}
}

func TestLockDirExclusive(t *testing.T) {
	dir := t.TempDir()
	lk, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Release()
	if _, err := LockDir(dir); err == nil {
		t.Fatal("second LockDir succeeded")
	}
}
