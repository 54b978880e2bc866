package state

import (
	"sync"
	"testing"
)

func TestRegistryConcurrentAdd(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	names := []string{"linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64"}
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			if err := r.Add(Artifact{Name: n}); err != nil {
				t.Error(err)
			}
		}(n)
	}
	wg.Wait()
	if got := len(r.Snapshot()); got != len(names) {
		t.Fatalf("len = %d, want %d", got, len(names))
	}
	if !r.Remove("linux_arm64") || r.Remove("linux_arm64") {
		t.Fatal("Remove should succeed exactly once")
	}
	if err := r.MarkUploaded("darwin_arm64", "https://dl/x"); err != nil {
		t.Fatal(err)
	}
	if got := len(r.Pending()); got != 2 {
		t.Fatalf("pending = %d, want 2", got)
	}
}
