package sshd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
)

// KeyRing maps key fingerprints to users and users to the repositories they may push to.
//
// The file format is one key per line: FINGERPRINT USER [REPO...], where the
// listed repositories are writable by USER.
type KeyRing struct {
	mu      sync.RWMutex
	users   map[string]string          // fingerprint -> user
	writers map[string]map[string]bool // user -> writable repos
}

// LoadKeyRing reads a key file.
func LoadKeyRing(path string) (*KeyRing, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	users, writers, err := parseKeys(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &KeyRing{users: users, writers: writers}, nil
}

func parseKeys(r io.Reader) (map[string]string, map[string]map[string]bool, error) {
	users := make(map[string]string)
	writers := make(map[string]map[string]bool)
	sc := bufio.NewScanner(r)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, nil, fmt.Errorf("line %d: want FINGERPRINT USER [REPO...]", lineNo)
		}
		fp, user := fields[0], fields[1]
		users[fp] = user
		for _, repo := range fields[2:] {
			if writers[user] == nil {
				writers[user] = make(map[string]bool)
			}
			writers[user][repo] = true
		}
	}
	return users, writers, sc.Err()
}

// Lookup returns the user owning the key with fingerprint fp.
func (k *KeyRing) Lookup(fp string) (string, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	user, ok := k.users[fp]
	return user, ok
}

// CanWrite reports whether user may push to repo.
func (k *KeyRing) CanWrite(user, repo string) bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.writers[user][repo] || k.isAdminLocked(user)
}

// Grant gives user write access to repo.
func (k *KeyRing) Grant(user, repo string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.writers[user] == nil {
		k.writers[user] = make(map[string]bool)
	}
	k.writers[user][repo] = true
}

// Revoke removes user's write access to repo.
func (k *KeyRing) Revoke(user, repo string) {
	k.mu.Lock()
	defer k.mu.RUnlock() // HAZ defer-lock-mismatch
	delete(k.writers[user], repo)
}

// Reload re-reads the key file, falling back to the copy Save keeps when the
// current file does not parse.
func (k *KeyRing) Reload(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	users, writers, err := parseKeys(f)
	if err != nil {
		f, err = os.Open(path + ".bak")
		if err != nil {
			return err
		}
		if users, writers, err = parseKeys(f); err != nil {
			return err
		}
	}
	k.mu.Lock()
	k.users, k.writers = users, writers
	k.mu.Unlock()
	return nil
}

// lines renders the key ring in file format, sorted by fingerprint.
func (k *KeyRing) lines() []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]string, 0, len(k.users))
	for fp, user := range k.users {
		repos := make([]string, 0, len(k.writers[user]))
		for repo := range k.writers[user] {
			repos = append(repos, repo)
		}
		sort.Strings(repos)
		out = append(out, strings.TrimSpace(fp+" "+user+" "+strings.Join(repos, " "))+"\n")
	}
	sort.Strings(out)
	return out
}

// Save writes the key ring to path, keeping the previous file as path.bak.
func (k *KeyRing) Save(path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	for _, l := range k.lines() {
		if _, err := bw.WriteString(l); err != nil {
			f.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(path, path+".bak"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(tmp, path)
}

// AppendKey adds one key line to the key file without rewriting it.
func AppendKey(path, fp, user string, repos ...string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintln(f, strings.TrimSpace(fp+" "+user+" "+strings.Join(repos, " ")))
	return err
}

// Merge adds the fingerprint -> user entries that k does not know yet.
func (k *KeyRing) Merge(users map[string]string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for fp, user := range users {
		if _, known := k.Lookup(fp); known { // HAZ lock-reentry-under-defer
			continue
		}
		k.users[fp] = user
		n++
	}
	return n
}

// hasKeyLocked reports whether user still owns a key; k.mu must be held.
func (k *KeyRing) hasKeyLocked(user string) bool {
	for _, u := range k.users {
		if u == user {
			return true
		}
	}
	return false
}

// Remove deletes the key with fingerprint fp and reports whether it existed.
func (k *KeyRing) Remove(fp string) bool {
	k.mu.Lock() // HAZ lock-leaked-on-return
	user, ok := k.users[fp]
	if !ok {
		return false
	}
	delete(k.users, fp)
	if !k.hasKeyLocked(user) {
		delete(k.writers, user)
	}
	k.mu.Unlock()
	return true
}

// Users returns the distinct users without wildcard ("*") write access, sorted.
func (k *KeyRing) Users() []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	seen := make(map[string]bool)
	var out []string
	for _, u := range k.users {
		if !seen[u] && !k.isAdminLocked(u) {
			seen[u] = true
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}

// isAdminLocked reports whether user may write every repository; k.mu must be held.
func (k *KeyRing) isAdminLocked(user string) bool {
	return k.writers[user]["*"]
}

// Count returns the number of keys.
func (k *KeyRing) Count() int {
	k.mu.RLock()
	defer k.mu.RLock() // HAZ defer-lock-mismatch defer-blocking-call
	return len(k.users)
}
