package kv_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"example.com/ekv/kv"
)

var testTime = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func openTestDB(t *testing.T) (*kv.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.ekv")
	db, err := kv.Open(path, &kv.Options{PageSize: 1024, NoSync: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil && !errors.Is(err, kv.ErrDatabaseNotOpen) {
			t.Errorf("Close: %v", err)
		}
	})
	return db, path
}

func fill(t *testing.T, db *kv.DB, prefix string, n int) {
	t.Helper()
	err := db.Update(func(tx *kv.Tx) error {
		for i := 0; i < n; i++ {
			k := fmt.Sprintf("%s%05d", prefix, i)
			if err := tx.Put([]byte(k), []byte("v-"+k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("fill: %v", err)
	}
}

func TestUpdateThenView(t *testing.T) {
	db, _ := openTestDB(t)
	fill(t, db, "a/", 500)
	err := db.View(func(tx *kv.Tx) error {
		v, err := tx.Get([]byte("a/00042"))
		if err != nil {
			return err
		}
		if string(v) != "v-a/00042" {
			return fmt.Errorf("got %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRollbackDiscardsWrites(t *testing.T) {
	db, _ := openTestDB(t)
	tx, err := db.Begin(true)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Put([]byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get([]byte("k")); !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("Get after rollback: %v", err)
	}
}

func TestIteratePrefix(t *testing.T) {
	db, _ := openTestDB(t)
	fill(t, db, "a/", 100)
	fill(t, db, "b/", 250)
	fill(t, db, "c/", 100)
	n, err := db.Count([]byte("b/"))
	if err != nil {
		t.Fatal(err)
	}
	if n != 250 {
		t.Fatalf("Count(b/) = %d, want 250", n)
	}
}

func TestReopenKeepsData(t *testing.T) {
	db, path := openTestDB(t)
	fill(t, db, "k", 300)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := kv.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	v, err := db2.Get([]byte("k00299"))
	if err != nil || !bytes.Equal(v, []byte("v-k00299")) {
		t.Fatalf("Get = %q, %v", v, err)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	_, path := openTestDB(t)
	if _, err := kv.Open(path, nil); !errors.Is(err, kv.ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
}

func TestSnapshotRestore(t *testing.T) {
	db, _ := openTestDB(t)
	fill(t, db, "s/", 1200)
	snap := filepath.Join(t.TempDir(), kv.BackupName(testTime))
	var final kv.SnapshotProgress
	err := db.Snapshot(snap, kv.SnapshotOptions{Progress: func(p kv.SnapshotProgress) { final = p }})
	if err != nil {
		t.Fatal(err)
	}
	if !final.Done || final.Keys != 1200 {
		t.Fatalf("final progress = %+v", final)
	}

	other, _ := openTestDB(t)
	if err := other.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if n, _ := other.Count([]byte("s/")); n != 1200 {
		t.Fatalf("restored %d keys, want 1200", n)
	}
}

func TestConcurrentReaders(t *testing.T) {
	db, _ := openTestDB(t)
	fill(t, db, "r/", 400)

	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				key := []byte(fmt.Sprintf("r/%05d", (w*97+i)%400))
				if _, err := db.Get(key); err != nil {
					t.Errorf("reader %d: Get(%s): %v", w, key, err)
					return
				}
			}
		}(w)
	}
	fill(t, db, "w/", 200)
	wg.Wait()
}

func TestScanCancel(t *testing.T) {
	db, _ := openTestDB(t)
	fill(t, db, "x/", 300)
	ctx, cancel := context.WithCancel(context.Background())
	out, errc := db.Scan(ctx, []byte("x/"))
	got := 0
	for range out {
		got++
		if got == 10 {
			break
		}
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan error = %v, want context.Canceled", err)
	}
	for range out {
		// drain: the producer closes out after reporting
	}
}

func TestTableDriven(t *testing.T) {
	db, _ := openTestDB(t)
	cases := []struct {
		name string
		key  string
		val  string
	}{
		{"short", "a", "1"},
		{"binary", "\x00\xff", "\x01"},
		{"long", string(bytes.Repeat([]byte("k"), 60)), "v"},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			if err := db.Put([]byte(tc.key), []byte(tc.val)); err != nil {
				t.Fatal(err)
			}
			v, err := db.Get([]byte(tc.key))
			if err != nil || string(v) != tc.val {
				t.Fatalf("Get = %q, %v", v, err)
			}
		})
	}
}

func TestMultiGetAndCountPrefixes(t *testing.T) {
	db, _ := openTestDB(t)
	fill(t, db, "m/", 64)
	fill(t, db, "n/", 32)
	keys := [][]byte{[]byte("m/00001"), []byte("missing"), []byte("n/00031")}
	vals, err := db.MultiGet(keys, 2)
	if err != nil {
		t.Fatal(err)
	}
	if string(vals[0]) != "v-m/00001" || vals[1] != nil || string(vals[2]) != "v-n/00031" {
		t.Fatalf("MultiGet = %q", vals)
	}
	counts, err := db.CountPrefixes([][]byte{[]byte("m/"), []byte("n/"), []byte("z/")})
	if err != nil {
		t.Fatal(err)
	}
	if counts[0] != 64 || counts[1] != 32 || counts[2] != 0 {
		t.Fatalf("CountPrefixes = %v", counts)
	}
}
