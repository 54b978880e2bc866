package syncer

import (
	"bytes"
	"context"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeTree creates files under root from a map of slash paths to contents.
func writeTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readTree(t testing.TB, root string) map[string]string {
	t.Helper()
	entries, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(e.Rel)))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Rel] = string(b)
	}
	return out
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		src     map[string]string
		dst     map[string]string
		opt     Options
		want    map[string]string
		copied  int
		deleted int
	}{
		{
			name:   "into empty",
			src:    map[string]string{"a.txt": "a", "sub/b.txt": "b"},
			want:   map[string]string{"a.txt": "a", "sub/b.txt": "b"},
			copied: 2,
		},
		{
			name:   "keeps extra without delete",
			src:    map[string]string{"a.txt": "a"},
			dst:    map[string]string{"old.txt": "x"},
			want:   map[string]string{"a.txt": "a", "old.txt": "x"},
			copied: 1,
		},
		{
			name:    "delete extra",
			src:     map[string]string{"a.txt": "a"},
			dst:     map[string]string{"old.txt": "x"},
			opt:     Options{Delete: true},
			want:    map[string]string{"a.txt": "a"},
			copied:  1,
			deleted: 1,
		},
		{
			name: "dry run changes nothing",
			src:  map[string]string{"a.txt": "a"},
			dst:  map[string]string{"old.txt": "x"},
			opt:  Options{DryRun: true, Delete: true},
			want: map[string]string{"old.txt": "x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src, dst := t.TempDir(), t.TempDir()
			writeTree(t, src, tt.src)
			writeTree(t, dst, tt.dst)
			s := New(src, dst, tt.opt)
			if err := s.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := readTree(t, dst); !equalTrees(got, tt.want) {
				t.Errorf("dst = %v, want %v", got, tt.want)
			}
			st := s.Stats()
			if st.Copied != tt.copied || st.Deleted != tt.deleted {
				t.Errorf("stats = %s", st)
			}
		})
	}
}

func TestSecondRunSkipsEverything(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	writeTree(t, src, map[string]string{"a": "1", "b/c": "2"})
	if err := New(src, dst, Options{}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := New(src, dst, Options{})
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Copied != 0 || st.Skipped != 2 {
		t.Errorf("second run stats = %s", st)
	}
}

func TestAppendsGrowingLog(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), t.TempDir()
	writeTree(t, src, map[string]string{"app.log": "one\n"})
	if err := New(src, dst, Options{}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	writeTree(t, src, map[string]string{"app.log": "one\ntwo\n"})
	s := New(src, dst, Options{})
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, dst)["app.log"]; got != "one\ntwo\n" {
		t.Errorf("app.log = %q", got)
	}
	if st := s.Stats(); st.Appended != 1 {
		t.Errorf("stats = %s, want one append", st)
	}
}

func TestChecksumSkipsSameContent(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeTree(t, src, map[string]string{"a": "same"})
	writeTree(t, dst, map[string]string{"a": "same"})
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dst, "a"), old, old); err != nil {
		t.Fatal(err)
	}
	s := New(src, dst, Options{Checksum: true})
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Copied != 0 {
		t.Errorf("copied %d files with identical content", st.Copied)
	}
}

func TestRunCanceled(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	files := map[string]string{}
	for i := range 50 {
		files[strings.Repeat("x", i+1)] = "data"
	}
	writeTree(t, src, files)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := New(src, dst, Options{Workers: 1}).Run(ctx); err == nil {
		t.Log("all jobs were handed out before the cancel was seen")
	}
}

func TestStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	writeTree(t, src, map[string]string{"a": "1", "b": "22"})
	statePath := filepath.Join(dir, "state.json")
	s := New(src, dst, Options{})
	if err := s.RunAndSave(context.Background(), statePath); err != nil {
		t.Fatal(err)
	}
	st, err := LoadState(statePath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Len() != 2 || st.TotalBytes() != 3 {
		t.Errorf("loaded state: %s", st)
	}
}

func TestLoadStateMissing(t *testing.T) {
	st, err := LoadState(filepath.Join(t.TempDir(), "nope.json"))
	if err != nil || st.Len() != 0 {
		t.Fatalf("LoadState(missing) = %v, %v", st, err)
	}
}

func TestPruneLogs(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeTree(t, dst, map[string]string{"gone": "x"})
	var buf bytes.Buffer
	s := New(src, dst, Options{Logger: log.New(&buf, "", 0)})
	if err := s.Prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dst, "gone")); !os.IsNotExist(err) {
		t.Errorf("gone still exists: %v", err)
	}
	if !strings.Contains(buf.String(), "prune finished") {
		t.Errorf("log = %q", buf.String())
	}
}

func TestStateConcurrentReaders(t *testing.T) {
	st := NewState()
	st.Update([]Entry{{Rel: "a", Size: 1}})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				st.Update([]Entry{{Rel: "a", Size: int64(i)}})
				return
			}
			_ = st.String() // ok: String takes the read lock once
		}()
	}
	wg.Wait()
}

func BenchmarkFileSum(b *testing.B) {
	dir := b.TempDir()
	p := filepath.Join(dir, "blob")
	if err := os.WriteFile(p, bytes.Repeat([]byte("x"), 1<<16), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(1 << 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := fileSum(p); err != nil { // ok: fileSum closes its file before returning
			b.Fatal(err)
		}
	}
}

func BenchmarkRunNoChanges(b *testing.B) {
	src, dst := b.TempDir(), b.TempDir()
	files := map[string]string{}
	for i := range 100 {
		files[filepath.Join("d", strings.Repeat("f", i%10+1), string(rune('a'+i%26)))] = "body"
	}
	writeTree(b, src, files)
	if err := New(src, dst, Options{}).Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := New(src, dst, Options{}).Run(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
