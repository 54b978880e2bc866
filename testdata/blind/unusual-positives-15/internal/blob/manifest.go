package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Kind is the type of a manifest entry.
type Kind int

// Manifest entry kinds.
const (
	KindBlob Kind = iota
	KindDir
	KindLink
)

// Entry is one line of a sync manifest.
type Entry struct {
	Key    string `json:"key"`
	Kind   Kind   `json:"kind"`
	Sum    string `json:"sum,omitempty"`
	Target string `json:"target,omitempty"`
}

// Manifest lists what a store is expected to hold after a sync.
type Manifest struct {
	Entries []Entry `json:"entries"`
}

// LoadManifest reads a JSON manifest from path.
func LoadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("blob: manifest %s: %w", path, err)
	}
	return &m, nil
}

func sumReader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func checkSum(r io.Reader, want string) error {
	got, err := sumReader(r)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("checksum mismatch: got %s, want %s", got, want)
	}
	return nil
}

// VerifyManifest checks every entry of m against the store and stops at the
// first problem.
func (s *Store) VerifyManifest(m *Manifest) error {
	for _, e := range m.Entries {
		switch e.Kind {
		case KindDir:
			fi, err := os.Stat(s.path(e.Key))
			if err != nil {
				return err
			}
			if !fi.IsDir() {
				return fmt.Errorf("blob: %s: not a directory", e.Key)
			}
		case KindBlob:
			rc, err := s.Open(e.Key)
			if err != nil {
				return fmt.Errorf("blob: verify %s: %w", e.Key, err)
			}
			defer rc.Close() // HAZ defer-in-loop
			if err := checkSum(rc, e.Sum); err != nil {
				return fmt.Errorf("blob: verify %s: %w", e.Key, err)
			}
		case KindLink:
			if _, err := os.Readlink(s.path(e.Key)); err != nil {
				return err
			}
		default:
			return fmt.Errorf("blob: %s: unknown kind %d", e.Key, e.Kind)
		}
	}
	return nil
}

// VerifyEach checks every entry of m and reports each problem instead of
// stopping; it returns the number of bad entries. Each blob is opened and
// closed inside its own function literal.
func (s *Store) VerifyEach(m *Manifest, report func(Entry, error)) int {
	bad := 0
	for _, e := range m.Entries {
		switch e.Kind {
		case KindBlob:
			if err := func() error {
				rc, err := s.Open(e.Key)
				if err != nil {
					return err
				}
				defer rc.Close()
				return checkSum(rc, e.Sum)
			}(); err != nil {
				report(e, err)
				bad++
			}
		case KindDir:
			if fi, err := os.Stat(s.path(e.Key)); err != nil || !fi.IsDir() {
				report(e, fmt.Errorf("not a directory"))
				bad++
			}
		}
	}
	return bad
}
