package dbpool

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func newTestPool(t *testing.T, maxOpen int) (*Pool, *MemDriver) {
	t.Helper()
	d := NewMemDriver()
	p, err := NewPool(d, Config{MaxOpen: maxOpen}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, d
}

func TestReleaseReusesConnection(t *testing.T) {
	p, d := newTestPool(t, 2)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		c, err := p.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c.Release()
	}
	if n := d.Opened(); n != 1 {
		t.Fatalf("opened %d connections, want 1", n)
	}
}

func TestAcquireTimesOutWhenExhausted(t *testing.T) {
	p, _ := newTestPool(t, 1)
	c, err := p.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline exceeded, got %v", err)
	}
}

func TestCountEachHoldsOneConnection(t *testing.T) {
	p, _ := newTestPool(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, tbl := range []string{"a", "b", "c"} {
		if _, err := p.Exec(ctx, "CREATE TABLE "+tbl); err != nil {
			t.Fatal(err)
		}
	}
	got, err := p.CountEach(ctx, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("CountEach = %v", got)
	}
}

func TestWithTxRollsBackOnError(t *testing.T) {
	p, _ := newTestPool(t, 2)
	ctx := context.Background()
	if _, err := p.Exec(ctx, "CREATE TABLE kv"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := p.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO kv", "a", int64(1)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx = %v", err)
	}
	var v int64
	if err := p.QueryRow(ctx, "SELECT v FROM kv WHERE k = ?", "a").Scan(&v); !errors.Is(err, ErrNoRows) {
		t.Fatalf("row should not exist, got %d, %v", v, err)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	p, _ := newTestPool(t, 2)
	ctx := context.Background()
	if _, err := p.Exec(ctx, "CREATE TABLE kv"); err != nil {
		t.Fatal(err)
	}
	n, err := p.ImportCSV(ctx, "kv", strings.NewReader("key,value\na,1\nb,2\n"))
	if err != nil || n != 2 {
		t.Fatalf("ImportCSV = %d, %v", n, err)
	}
	var buf bytes.Buffer
	if err := p.ExportCSV(ctx, "kv", &buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "key,value\na,1\nb,2\n" {
		t.Fatalf("ExportCSV = %q", got)
	}
}
