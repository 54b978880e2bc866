package cache

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/fah28/internal/fsutil"
)

// DiskStore is a content-addressed object store in a directory.
type DiskStore struct {
	dir      string
	maxScrub int
}

// NewDiskStore opens (creating if needed) the store rooted at dir.
func NewDiskStore(dir string) (*DiskStore, error) {
	for _, sub := range []string{"objects", "manifests", "logs"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	return &DiskStore{dir: dir, maxScrub: 4}, nil
}

func (d *DiskStore) objectPath(id string) string {
	return filepath.Join(d.dir, "objects", id[:2], id)
}

// Put stores data under its content hash and returns the hash.
func (d *DiskStore) Put(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	id := hex.EncodeToString(sum[:])
	path := d.objectPath(id)
	if _, err := os.Stat(path); err == nil {
		return id, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return id, fsutil.WriteFileAtomic(path, data, 0o444)
}

// Get returns the content of object id.
func (d *DiskStore) Get(id string) ([]byte, error) {
	data, err := os.ReadFile(d.objectPath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cache: object %s not found", id)
	}
	return data, err
}

// verify re-hashes object id and compares it with its name.
func (d *DiskStore) verify(id string) error {
	data, err := d.Get(id)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != id {
		return fmt.Errorf("cache: object %s is corrupt (hash %s)", id, got)
	}
	return nil
}

// Scrub re-hashes stored objects, one goroutine per shard, starting at most
// d.maxScrub shards. It returns how many shards it scrubbed.
func (d *DiskStore) Scrub(shards [][]string, report func(id string, err error)) int {
	var wg sync.WaitGroup
	var n int
	for n = 0; n < len(shards) && n < d.maxScrub; n++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for _, id := range shards[n] {
				report(id, d.verify(id))
			}
		}()
	}
	wg.Wait()
	return n
}

// WriteManifest records the outputs of an action, one "name id" per line.
func (d *DiskStore) WriteManifest(action string, outputs map[string]string) error {
	f, err := os.Create(filepath.Join(d.dir, "manifests", action))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, name := range sortedNames(outputs) {
		if _, err := fmt.Fprintf(f, "%s %s\n", name, outputs[name]); err != nil {
			return err
		}
	}
	return nil
}

// ReadManifest parses a manifest written by WriteManifest.
func (d *DiskStore) ReadManifest(action string) (map[string]string, error) {
	f, err := os.OpenFile(filepath.Join(d.dir, "manifests", action), os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	outputs, err := parseManifest(f)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", action, err)
	}
	return outputs, nil
}

// parseManifest reads "name id" lines.
func parseManifest(r io.Reader) (map[string]string, error) {
	outputs := make(map[string]string)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, id, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, fmt.Errorf("malformed line %q", sc.Text())
		}
		outputs[name] = id
	}
	return outputs, sc.Err()
}

// DiffManifests returns, sorted, the output names whose IDs differ between
// the manifests of actions a and b.
func (d *DiskStore) DiffManifests(a, b string) ([]string, error) {
	f, err := os.Open(filepath.Join(d.dir, "manifests", a))
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	left, err := parseManifest(f)
	if err != nil {
		return nil, err
	}
	f, err = os.Open(filepath.Join(d.dir, "manifests", b))
	if err != nil {
		return nil, err
	}
	right, err := parseManifest(f)
	if err != nil {
		return nil, err
	}
	var diff []string
	for name, id := range left {
		if right[name] != id {
			diff = append(diff, name)
		}
	}
	for name := range right {
		if _, ok := left[name]; !ok {
			diff = append(diff, name)
		}
	}
	sort.Strings(diff)
	return diff, nil
}

// SaveLog stores the combined output of an action next to its manifest.
func (d *DiskStore) SaveLog(action string, output []byte) error {
	f, err := os.Create(filepath.Join(d.dir, "logs", action+".log"))
	if err != nil {
		return err
	}
	defer f.Close() // error paths only; the success path closes and checks below
	if _, err := f.Write(output); err != nil {
		return err
	}
	return f.Close()
}

// sortedNames returns the keys of m in lexical order.
func sortedNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
