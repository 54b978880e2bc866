package status

import (
	"os"
	"path/filepath"
	"testing"

	"example.com/fah31/api"
)

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.json.gz")
	in := []*api.Object{
		{ObjectMeta: api.ObjectMeta{Namespace: "a", Name: "x"}, Generation: 3},
		{ObjectMeta: api.ObjectMeta{Namespace: "b", Name: "y"}, Generation: 1},
	}
	if err := WriteSnapshot(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) || out[0].Generation != 3 {
		t.Fatalf("round trip: got %+v", out)
	}
}

func TestWriteKeysChecked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	if err := WriteKeysChecked(path, []string{"a/x", "b/y"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() != int64(len("a/x\nb/y\n")) {
		t.Fatalf("size = %d", st.Size())
	}
}

func TestCollectConditionsSkipsMissing(t *testing.T) {
	w := NewWriter(t.TempDir())
	objs := []*api.Object{{ObjectMeta: api.ObjectMeta{Namespace: "a", Name: "x"}}}
	for _, o := range objs {
		o.Status.SetCondition(api.Condition{Type: "Ready", Status: "True"})
		func() {
			if err := w.WriteConditions(o); err != nil {
				t.Fatal(err)
			}
		}()
	}
	var sb stringsBuilder
	if err := w.CollectConditions(&sb, append(objs, &api.Object{ObjectMeta: api.ObjectMeta{Name: "gone"}})); err != nil {
		t.Fatal(err)
	}
	if sb.n == 0 {
		t.Fatal("nothing collected")
	}
}

type stringsBuilder struct{ n int }

func (b *stringsBuilder) Write(p []byte) (int, error) {
	b.n += len(p)
	return len(p), nil
}
