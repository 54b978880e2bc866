package npm

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSortedVersions(t *testing.T) {
	p := &Packument{Versions: map[string]VersionMeta{"1.0.0": {}, "2.0.0": {}, "1.5.0": {}}}
	want := []string{"2.0.0", "1.5.0", "1.0.0"}
	if got := sortedVersions(p); !slices.Equal(got, want) {
		t.Fatalf("sortedVersions = %v, want %v", got, want)
	}
}

func TestWriteJSONFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	if err := writeJSONFile(path, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]int
	if err := json.Unmarshal(b, &got); err != nil || got["a"] != 1 {
		t.Fatalf("round trip = %v, %v", got, err)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".tmp-*"))
	if len(matches) != 0 {
		t.Fatalf("temp files left behind: %v", matches)
	}
}

func TestServeTarballRejectsTraversal(t *testing.T) {
	m := NewMirror("http://127.0.0.1:0", "", t.TempDir(), log.New(io.Discard, "", 0))
	h, err := NewHandler(m, "")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, p := range []string{"/../etc/-/passwd.tgz", "/left-pad/-/../../x.tgz", "/left-pad/-/left-pad-1.0.0.tgz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://mirror"+p, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
	}
}
