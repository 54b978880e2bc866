package subscribers

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAddNormalizesAndReactivates(t *testing.T) {
	st := NewStore([]byte("test-secret"))
	sub, err := st.Add("weekly", "Ada <ada@Example.COM>", "Ada")
	if err != nil {
		t.Fatal(err)
	}
	if sub.Email != "ada@example.com" {
		t.Fatalf("email = %q", sub.Email)
	}
	if _, err := st.Unsubscribe(sub.Token); err != nil {
		t.Fatal(err)
	}
	again, err := st.Add("weekly", "ada@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != Active {
		t.Fatalf("status after re-add = %v", again.Status)
	}
}

func TestUnsubscribeTokens(t *testing.T) {
	st := NewStore([]byte("k"))
	sub, _ := st.Add("news", "bob@example.org", "")
	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"valid", sub.Token, nil},
		{"unknown", "deadbeef", ErrBadToken},
		{"empty", "", ErrBadToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := st.Unsubscribe(tc.token)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Unsubscribe(%q) = %v, want %v", tc.token, err, tc.want)
			}
		})
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "subscribers.json")
	st := NewStore([]byte("k"))
	for _, addr := range []string{"a@example.com", "b@example.com", "c@example.net"} {
		if _, err := st.Add("weekly", addr, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteSnapshot(path, st); err != nil {
		t.Fatal(err)
	}
	loaded := NewStore([]byte("k"))
	if err := LoadSnapshot(path, loaded); err != nil {
		t.Fatal(err)
	}
	if got := loaded.Count("weekly"); got != 3 {
		t.Fatalf("Count = %d, want 3", got)
	}
}

func TestExportCSVGzip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.csv.gz")
	subs := []Subscriber{{Email: "x@example.com", Status: Active, Token: "t1"}}
	if err := ExportCSVGzip(path, subs); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !strings.EqualFold(rows[1][0], "x@example.com") {
		t.Fatalf("rows = %v", rows)
	}
}
