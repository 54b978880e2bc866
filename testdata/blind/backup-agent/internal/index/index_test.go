package index

import (
	"encoding/binary"
	"path/filepath"
	"sync"
	"testing"

	"example.com/backupd/internal/chunker"
)

func testID(i int) chunker.ID {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(i))
	return chunker.Sum(b[:])
}

func TestSaveLoadRoundTrip(t *testing.T) {
	x := New()
	for i := 0; i < 100; i++ {
		x.Add(testID(i), Location{Pack: "pack", Offset: int64(i * 10), Length: 10})
	}
	path := filepath.Join(t.TempDir(), "index")
	if err := x.Save(path); err != nil {
		t.Fatal(err)
	}
	if dirty, _ := x.Dirty(); dirty {
		t.Fatal("index still dirty after Save")
	}
	y, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if y.Len() != 100 {
		t.Fatalf("loaded %d blobs, want 100", y.Len())
	}
}

func TestConcurrentAdd(t *testing.T) {
	x := New()
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.Add(testID(i), Location{Pack: "p", Offset: int64(i)})
		}()
	}
	wg.Wait()
	if x.Len() != 16 {
		t.Fatalf("Len = %d, want 16", x.Len())
	}
}
