// Package auth holds the user database: names, salted password hashes,
// home directories and quotas, loaded from colon-separated text files.
package auth

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrBadCredentials is returned for unknown users and wrong passwords alike.
var ErrBadCredentials = errors.New("auth: bad credentials")

// User is one account.
type User struct {
	Name     string
	Home     string
	Quota    int64 // bytes, 0 = unlimited
	ReadOnly bool

	salt string
	hash string
}

// Store is the in-memory user database. It can be reloaded at run time.
type Store struct {
	mu    sync.RWMutex
	users map[string]*User
}

// NewStore wraps an already parsed user map.
func NewStore(users map[string]*User) *Store {
	return &Store{users: users}
}

// HashPassword returns the hex SHA-256 of salt+password.
func HashPassword(salt, password string) string {
	sum := sha256.Sum256([]byte(salt + password))
	return hex.EncodeToString(sum[:])
}

// ParseUsers reads lines of the form
//
//	name:salt:hash:home:quota[:ro]
//
// skipping blank lines and '#' comments.
func ParseUsers(r io.Reader) (map[string]*User, error) {
	users := make(map[string]*User)
	sc := bufio.NewScanner(r)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) < 5 {
			return nil, fmt.Errorf("auth: line %d: want 5 fields, got %d", lineNo, len(f))
		}
		q, err := strconv.ParseInt(f[4], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("auth: line %d: quota: %w", lineNo, err)
		}
		u := &User{Name: f[0], salt: f[1], hash: f[2], Home: f[3], Quota: q}
		u.ReadOnly = len(f) > 5 && f[5] == "ro"
		users[u.Name] = u
	}
	return users, sc.Err()
}

// LoadUsers reads a user file.
func LoadUsers(path string) (*Store, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	users, err := ParseUsers(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Store{users: users}, nil
}

// LoadUsersDir merges every *.users file in dir (one file per virtual
// host in multi-tenant setups).
func LoadUsersDir(dir string) (*Store, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.users"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	all := make(map[string]*User)
	for _, m := range matches {
		f, err := os.Open(m)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		users, err := ParseUsers(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m, err)
		}
		for name, u := range users {
			all[name] = u
		}
	}
	return &Store{users: all}, nil
}

// Reload re-reads path and swaps the user map atomically. On error the
// old users stay in place.
func (s *Store) Reload(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	users, err := ParseUsers(f)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	s.users = users
	return nil
}

// Watch reloads the user file whenever its modification time changes,
// polling every interval for the life of the process.
func (s *Store) Watch(path string, every time.Duration) {
	var last time.Time
	for range time.Tick(every) {
		f, err := os.Open(path)
		if err != nil {
			log.Printf("auth: watch %s: %v", path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		fi, err := f.Stat()
		if err != nil || !fi.ModTime().After(last) {
			continue
		}
		users, err := ParseUsers(f)
		if err != nil {
			log.Printf("auth: watch %s: %v (keeping old users)", path, err)
			continue
		}
		last = fi.ModTime()
		s.mu.Lock()
		s.users = users
		s.mu.Unlock()
	}
}

// Authenticate checks a name and password in constant time.
func (s *Store) Authenticate(name, password string) (*User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[name]
	if !ok {
		// Burn the same work as a real check.
		HashPassword("x", password)
		return nil, ErrBadCredentials
	}
	got := HashPassword(u.salt, password)
	if subtle.ConstantTimeCompare([]byte(got), []byte(u.hash)) != 1 {
		return nil, ErrBadCredentials
	}
	cp := *u
	return &cp, nil
}

// Delete removes a user and reports whether it existed.
func (s *Store) Delete(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.users[name]
	delete(s.users, name)
	return ok
}

// Names lists user names, sorted.
func (s *Store) Names() []string {
	s.mu.RLock()
	names := make([]string, 0, len(s.users))
	for n := range s.users {
		names = append(names, n)
	}
	s.mu.RUnlock()
	sort.Strings(names)
	return names
}

// Homes lists the distinct home directories, sorted.
func (s *Store) Homes() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := make(map[string]bool, len(s.users))
	homes := make([]string, 0, len(s.users))
	for _, u := range s.users {
		if !seen[u.Home] {
			seen[u.Home] = true
			homes = append(homes, u.Home)
		}
	}
	sort.Strings(homes)
	return homes
}

// Save writes the database to path atomically (temp file, fsync, rename).
func (s *Store) Save(path string) error {
	s.mu.RLock()
	users := make([]User, 0, len(s.users))
	for _, u := range s.users {
		users = append(users, *u)
	}
	s.mu.RUnlock()
	sort.Slice(users, func(i, j int) bool { return users[i].Name < users[j].Name })

	f, err := os.CreateTemp(filepath.Dir(path), ".users-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()

	bw := bufio.NewWriter(f)
	for _, u := range users {
		ro := ""
		if u.ReadOnly {
			ro = ":ro"
		}
		fmt.Fprintf(bw, "%s:%s:%s:%s:%d%s\n", u.Name, u.salt, u.hash, u.Home, u.Quota, ro)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
