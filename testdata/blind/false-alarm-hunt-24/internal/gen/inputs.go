package gen

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"iter"
	"os"
	"strings"

	"example.com/fah24/internal/fsutil"
)

// HashInputs returns a digest over every template under dir; the run is
// skipped when it matches the digest of the previous run.
func HashInputs(dir string) (string, error) {
	h := sha256.New()
	for p := range fsutil.Files(dir, ".tmpl") {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		defer f.Close() // HAZ defer-in-loop
		fmt.Fprintf(h, "%s\x00", p)
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// DigestTree is HashInputs for an arbitrary extension; each file is hashed
// by hashFile, so it is closed before the next one is opened.
func DigestTree(dir, ext string) (string, error) {
	h := sha256.New()
	for p := range fsutil.Files(dir, ext) {
		fmt.Fprintf(h, "%s\x00", p)
		if err := hashFile(h, p); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h hash.Hash, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(h, f)
	return err
}

// Targets yields the targets listed in a JSON-lines manifest. The file is
// opened and closed inside the iterator, once per loop over it.
func Targets(manifest string) iter.Seq2[Target, error] {
	return func(yield func(Target, error) bool) {
		f, err := os.Open(manifest)
		if err != nil {
			yield(Target{}, err)
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			var t Target
			if err := json.Unmarshal([]byte(text), &t); err != nil {
				yield(Target{}, fmt.Errorf("%s:%d: %w", manifest, line, err))
				return
			}
			if !yield(t, nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield(Target{}, err)
		}
	}
}

// LoadTargets collects the manifest into a slice.
func LoadTargets(manifest string) ([]Target, error) {
	var out []Target
	for t, err := range Targets(manifest) {
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// ChangedTargets yields only the targets whose rendered output differs
// from the cached copy. Each render is timed by its own deferred call
// inside a per-target closure.
func (g *Generator) ChangedTargets(targets []Target) iter.Seq[Target] {
	return func(yield func(Target) bool) {
		for _, t := range targets {
			changed := func() bool {
				defer g.stats.Track("diff")()
				data, err := g.renderBytes(t)
				if err != nil {
					return true
				}
				old, ok := g.cache.Get(t.Name)
				return !ok || string(old) != string(data)
			}()
			if changed && !yield(t) {
				return
			}
		}
	}
}
