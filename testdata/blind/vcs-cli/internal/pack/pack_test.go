package pack

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"example.com/vcscli/internal/object"
)

func buildTestPack(t *testing.T) (string, []object.ID, *object.Store) {
	t.Helper()
	root := t.TempDir()
	store := object.NewStore(filepath.Join(root, "objects"), 0)
	var ids []object.ID
	for _, body := range []string{"one", "two", "three"} {
		id, err := store.Write(object.KindBlob, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	name, err := Build(root, store, ids)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, name+".pack"), ids, store
}

func TestBuildThenRead(t *testing.T) {
	packPath, ids, _ := buildTestPack(t)
	if err := Checksum(packPath); err != nil {
		t.Fatal(err)
	}
	r, err := Open(packPath)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Count() != len(ids) {
		t.Fatalf("count = %d, want %d", r.Count(), len(ids))
	}
	for _, id := range ids {
		if _, _, err := r.Read(id); err != nil {
			t.Errorf("read %s: %v", id.Short(), err)
		}
	}
}

func TestBundleIsReadableTarball(t *testing.T) {
	packPath, ids, _ := buildTestPack(t)
	out := filepath.Join(t.TempDir(), "repo.bundle")
	if err := WriteBundle(out, map[string]object.ID{"refs/heads/main": ids[0]}, packPath); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
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
	if len(names) != 2 || names[0] != "refs" || names[1] != "objects.pack" {
		t.Fatalf("bundle members = %v", names)
	}
}
