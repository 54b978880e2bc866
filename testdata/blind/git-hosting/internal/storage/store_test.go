package storage

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestValidName(t *testing.T) {
	cases := map[string]bool{
		"tools":        true,
		"web-frontend": true,
		"lib_v2.1":     true,
		"":             false,
		".hidden":      false,
		"-flag":        false,
		"a/b":          false,
		"a..b":         false,
		"space name":   false,
	}
	for name, want := range cases {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}

func makeRoot(t *testing.T, dirs ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func repoNames(rs []*Repo) []string {
	names := make([]string, 0, len(rs))
	for _, r := range rs {
		names = append(names, r.Name)
	}
	return names
}

func TestOpenFindsBareRepos(t *testing.T) {
	root := makeRoot(t, "beta.git", "alpha.git", "notes")
	s, err := Open(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := repoNames(s.List()), []string{"alpha", "beta"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("List() = %v, want %v", got, want)
	}
	if _, err := s.Get("notes"); err != ErrNotFound {
		t.Fatalf("Get(notes) error = %v, want ErrNotFound", err)
	}
}

func TestProtectedListPersists(t *testing.T) {
	root := makeRoot(t, "alpha.git")
	s, err := Open(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetProtected("alpha", true); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !s2.IsProtected("alpha") {
		t.Fatal("alpha lost its protection across Open")
	}
}

func TestWithRepoWriteReleasesLock(t *testing.T) {
	s, err := Open(makeRoot(t, "alpha.git"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := s.WithRepoWrite("alpha", func(*Repo) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
}
