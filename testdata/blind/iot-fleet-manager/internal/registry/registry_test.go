package registry

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPutSaveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "devices.json")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.Put(Device{ID: "d1", Model: "gw-200", Site: "berlin"})
	r.Put(Device{ID: "d2", Model: "gw-200", Site: "lyon"})
	if err := r.SaveAtomic(); err != nil {
		t.Fatal(err)
	}
	r2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := r2.BySite("berlin"); len(got) != 1 || got[0].ID != "d1" {
		t.Fatalf("BySite = %+v", got)
	}
}

func TestParseCSVSkipsHeader(t *testing.T) {
	devs, err := parseCSV(strings.NewReader("id,model,site\nd1,gw-200,berlin\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1 || devs[0].Site != "berlin" {
		t.Fatalf("parsed %+v", devs)
	}
}
