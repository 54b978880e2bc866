package auth

import (
	"path/filepath"
	"strings"
	"testing"
)

func testStore(t *testing.T) *Store {
	t.Helper()
	src := "# test users\n" +
		"alice:s1:" + HashPassword("s1", "secret") + ":/srv/ftp/alice:1048576\n" +
		"guest:s2:" + HashPassword("s2", "guest") + ":/srv/ftp/pub:0:ro\n"
	users, err := ParseUsers(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return &Store{users: users}
}

func TestAuthenticate(t *testing.T) {
	s := testStore(t)
	u, err := s.Authenticate("alice", "secret")
	if err != nil {
		t.Fatal(err)
	}
	if u.Quota != 1<<20 || u.ReadOnly {
		t.Fatalf("unexpected user %+v", u)
	}
	if _, err := s.Authenticate("alice", "wrong"); err != ErrBadCredentials {
		t.Fatalf("wrong password: err = %v", err)
	}
	if _, err := s.Authenticate("mallory", "x"); err != ErrBadCredentials {
		t.Fatalf("unknown user: err = %v", err)
	}
}

func TestSaveAndLoad(t *testing.T) {
	s := testStore(t)
	path := filepath.Join(t.TempDir(), "ftp.users")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(loaded.Names(), ","); got != "alice,guest" {
		t.Fatalf("names = %q", got)
	}
	if u, err := loaded.Authenticate("guest", "guest"); err != nil || !u.ReadOnly {
		t.Fatalf("guest: %+v, %v", u, err)
	}
}
