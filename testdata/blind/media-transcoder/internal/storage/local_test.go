package storage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *LocalStore {
	t.Helper()
	s, err := NewLocalStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutThenOpen(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.Put("a/b/c.mp4", strings.NewReader("payload")); err != nil {
		t.Fatal(err)
	}
	f, err := s.Open("a/b/c.mp4")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "payload" {
		t.Fatalf("got %q", got)
	}
}

func TestKeysCannotEscapeRoot(t *testing.T) {
	s := newTestStore(t)
	p, err := s.path("../../etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p, s.Root) {
		t.Fatalf("path %s escapes root %s", p, s.Root)
	}
}

func TestConcurrentPutsSameKey(t *testing.T) {
	s := newTestStore(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := bytes.Repeat([]byte{byte('a' + i)}, 4096)
			if _, err := s.Put("same", bytes.NewReader(body)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	data, err := os.ReadFile(filepath.Join(s.Root, "same"))
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != 4096 || bytes.Count(data, data[:1]) != 4096 {
		t.Fatal("object is a mix of concurrent writes")
	}
}

func TestManifestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{JobID: "j1", Created: time.Unix(1700000000, 0).UTC(), Renditions: []ManifestEntry{{Name: "720p", Key: "j1/720p.mp4", Size: 10}}}
	p := filepath.Join(dir, "manifest.json")
	if err := WriteManifest(p, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.JobID != "j1" || len(got.Renditions) != 1 {
		t.Fatalf("got %+v", got)
	}
}

func TestArchiveDirListsFiles(t *testing.T) {
	src := t.TempDir()
	for _, name := range []string{"b.ts", "a.ts", "index.m3u8"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "out.tar.gz")
	if err := ArchiveDir(src, dst); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "a.ts,b.ts,index.m3u8" {
		t.Fatalf("archive has %v", names)
	}
}
