package manifest

import "testing"

func TestParseStrict(t *testing.T) {
	m, err := ParseStrict([]byte("manifest demo\n# comment\na.txt 3\nb.txt 4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "demo" || m.Total() != 7 {
		t.Fatalf("got %+v", m)
	}
}

func TestParseStrictError(t *testing.T) {
	_, err := ParseStrict([]byte("manifest demo\na.txt three\n"))
	if err == nil {
		t.Fatal("want error")
	}
	if _, ok := err.(parseError); !ok {
		t.Fatalf("got %T", err)
	}
}
