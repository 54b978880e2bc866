package store_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/order"
	"example.com/testsuites/store"
)

func openStore(t *testing.T) *store.FileStore {
	t.Helper()
	fs, err := store.OpenFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestFileStoreSaveLoadRoundTrip(t *testing.T) {
	fs := openStore(t)
	want := testutil.SampleOrders(1)[0]
	if err := fs.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := fs.Load(want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.Total() != want.Total() || !got.Created.Equal(want.Created) {
		t.Fatalf("round trip: got %+v, want %+v", got, want)
	}
	matches, _ := filepath.Glob(filepath.Join(fs.Dir(), "*.tmp"))
	if len(matches) != 0 {
		t.Fatalf("temporary files left behind: %v", matches)
	}
}

func TestFileStoreLoadMissing(t *testing.T) {
	fs := openStore(t)
	if _, err := fs.Load("ord-missing"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestFileStoreCorruptFiles(t *testing.T) {
	tests := []struct {
		name    string
		content string
	}{
		{"truncated", `{"id":"ord-1","customer":"ada"`},
		{"not json", "hello"},
		{"wrong type", `{"id": 12}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := openStore(t)
			testutil.WriteFile(t, fs.Dir(), "ord-1.json", []byte(tc.content))
			if _, err := fs.Load("ord-1"); err == nil {
				t.Fatal("Load accepted a corrupt file")
			}
			if _, err := fs.LoadAll(); err == nil {
				t.Fatal("LoadAll accepted a corrupt file")
			}
		})
	}
}

func TestFileStoreGoldenFiles(t *testing.T) {
	fs := openStore(t)
	orders := testutil.SampleOrders(3)
	for _, o := range orders {
		if err := fs.Save(o); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range orders {
		f, err := os.Open(filepath.Join(fs.Dir(), o.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close() // HAZ defer-in-loop
		var got order.Order
		if err := json.NewDecoder(f).Decode(&got); err != nil {
			t.Fatalf("%s: %v", o.ID, err)
		}
		if got.Customer != o.Customer {
			t.Errorf("%s: customer = %q, want %q", o.ID, got.Customer, o.Customer)
		}
	}
}

func TestFileStoreFilesPerOrder(t *testing.T) {
	fs := openStore(t)
	orders := testutil.SampleOrders(3)
	for _, o := range orders {
		if err := fs.Save(o); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range orders {
		t.Run(o.ID, func(t *testing.T) {
			f, err := os.Open(filepath.Join(fs.Dir(), o.ID+".json"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got order.Order
			if err := json.NewDecoder(f).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if got.ID != o.ID {
				t.Errorf("id = %q", got.ID)
			}
		})
	}
}

func TestFileStoreOpenCreatesDir(t *testing.T) {
	base, err := os.MkdirTemp("", "filestore-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base) // HAZ defer-blocking-call
	dir := filepath.Join(base, "a", "b")
	if _, err := store.OpenFileStore(dir); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("directory not created: %v", err)
	}
}

func TestFileStoreOpenEmptyDir(t *testing.T) {
	if _, err := store.OpenFileStore(""); err == nil {
		t.Fatal("OpenFileStore(\"\") succeeded")
	}
}

func TestFileStoreLoadAllSkipsOtherFiles(t *testing.T) {
	fs := openStore(t)
	for _, o := range testutil.SampleOrders(4) {
		if err := fs.Save(o); err != nil {
			t.Fatal(err)
		}
	}
	testutil.WriteFile(t, fs.Dir(), "README.txt", []byte("not an order"))
	if err := os.Mkdir(filepath.Join(fs.Dir(), "sub.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := fs.LoadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("LoadAll returned %d orders, want 4", len(got))
	}
}

func TestFileStoreEachStopsOnError(t *testing.T) {
	fs := openStore(t)
	for _, o := range testutil.SampleOrders(5) {
		if err := fs.Save(o); err != nil {
			t.Fatal(err)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := fs.Each(func(order.Order) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Fatalf("Each = %v after %d calls", err, calls)
	}
}

func TestFileStoreSnapshotRoundTrip(t *testing.T) {
	fs := openStore(t)
	want := testutil.SampleOrders(6)
	if err := fs.WriteSnapshot("snap.json", want); err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadSnapshot("snap.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || got[5].ID != want[5].ID {
		t.Fatalf("snapshot round trip: %d orders", len(got))
	}
}

func TestFileStoreAppendJournal(t *testing.T) {
	fs := openStore(t)
	for _, line := range []string{"created ord-1", "paid ord-1\n", "shipped ord-1"} {
		if err := fs.AppendJournal(line); err != nil {
			t.Fatal(err)
		}
	}
	data := testutil.ReadFile(t, filepath.Join(fs.Dir(), "journal.log"))
	if got := strings.Count(string(data), "\n"); got != 3 {
		t.Fatalf("journal has %d lines:\n%s", got, data)
	}
}

func TestFileStoreCompactRotatesJournal(t *testing.T) {
	fs := openStore(t)
	if err := fs.AppendJournal("created ord-1"); err != nil {
		t.Fatal(err)
	}
	if err := fs.CompactChecked(testutil.SampleOrders(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(fs.Dir(), "journal.log.1")); err != nil {
		t.Fatalf("journal not rotated: %v", err)
	}
	got, err := fs.LoadAll()
	if err != nil || len(got) != 2 {
		t.Fatalf("LoadAll after compact = %d, %v", len(got), err)
	}
}

func TestFileStoreMarkClean(t *testing.T) {
	fs := openStore(t)
	if err := fs.MarkClean(7); err != nil {
		t.Fatal(err)
	}
	if got := string(testutil.ReadFile(t, filepath.Join(fs.Dir(), "CLEAN"))); got != "generation=7\n" {
		t.Fatalf("CLEAN = %q", got)
	}
}

func TestFileStoreRemove(t *testing.T) {
	fs := openStore(t)
	o := testutil.SampleOrders(1)[0]
	if err := fs.Save(o); err != nil {
		t.Fatal(err)
	}
	if err := fs.Remove(o.ID); err != nil {
		t.Fatal(err)
	}
	if err := fs.Remove(o.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second Remove = %v", err)
	}
}

func TestSharedDirIsUsable(t *testing.T) {
	if sharedDir == "" {
		t.Skip("TestMain did not run")
	}
	path := testutil.WriteFixture(t, sharedDir, "shared.json", testutil.SampleOrder("ada", 1))
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
