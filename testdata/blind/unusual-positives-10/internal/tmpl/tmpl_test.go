package tmpl

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

var fixturePath string

// TestMain writes a template fixture shared by the tests.
func TestMain(m *testing.M) {
	path, err := writeFixture("Dear {{.Name}}, your code is {{.Code}}.\n")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer os.Remove(path)
	fixturePath = path
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func writeFixture(src string) (string, error) {
	f, err := os.CreateTemp("", "tmpl-fixture-*.tmpl")
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(src); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func TestBuiltinsParsed(t *testing.T) {
	for _, name := range []string{"welcome", "reset", "invoice"} {
		var sb strings.Builder
		data := map[string]any{"Name": "Ann", "Product": "Up", "Link": "https://x", "Number": 7, "Total": 12.5, "Currency": "EUR"}
		if err := Render(&sb, name, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestLoadPartial(t *testing.T) {
	if err := loadPartial(fixturePath); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	name := strings.TrimSuffix(fixturePath[strings.LastIndex(fixturePath, "/")+1:], ".tmpl")
	if err := Render(&sb, name, map[string]string{"Name": "Bo", "Code": "42"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "42") {
		t.Fatalf("got %q", sb.String())
	}
}
