package collections

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Named is an ordered registry of values by unique name.
type Named[T any] struct {
	mu    sync.Mutex
	m     map[string]T
	order []string
}

// NewNamed returns an empty registry.
func NewNamed[T any]() *Named[T] {
	return &Named[T]{m: make(map[string]T)}
}

// MustAdd registers v under name and panics if the name is taken.
func (n *Named[T]) MustAdd(name string, v T) {
	n.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := n.m[name]; dup {
		panic(fmt.Sprintf("collections: duplicate name %q", name))
	}
	n.m[name] = v
	n.order = append(n.order, name)
	n.mu.Unlock()
}

// Add registers v under name and returns an error if the name is taken.
func (n *Named[T]) Add(name string, v T) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, dup := n.m[name]; dup {
		return fmt.Errorf("collections: duplicate name %q", name)
	}
	n.m[name] = v
	n.order = append(n.order, name)
	return nil
}

// MustAddChecked is MustAdd with the duplicate check done under a lock that
// is released before panicking.
func (n *Named[T]) MustAddChecked(name string, v T) {
	if err := n.Add(name, v); err != nil {
		panic(err)
	}
}

// Get returns the value registered under name.
func (n *Named[T]) Get(name string) (T, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	v, ok := n.m[name]
	return v, ok
}

// Catalog holds template files loaded on first use.
type Catalog struct {
	once  sync.Once
	paths []string
	docs  map[string]string
	err   error
}

// NewCatalog returns a catalog of the given files.
func NewCatalog(paths ...string) *Catalog {
	return &Catalog{paths: paths}
}

// load reads every template once.
func (c *Catalog) load() {
	c.once.Do(func() {
		c.docs = make(map[string]string, len(c.paths))
		for _, p := range c.paths {
			f, err := os.Open(p)
			if err != nil {
				c.err = err
				return
			}
			defer f.Close() // HAZ defer-in-loop
			b, err := io.ReadAll(f)
			if err != nil {
				c.err = fmt.Errorf("read %s: %w", p, err)
				return
			}
			c.docs[filepath.Base(p)] = string(b)
		}
	})
}

// Get returns the template with the given base name.
func (c *Catalog) Get(name string) (string, error) {
	c.load()
	if c.err != nil {
		return "", c.err
	}
	d, ok := c.docs[name]
	if !ok {
		return "", fmt.Errorf("catalog: no template %q", name)
	}
	return d, nil
}

// LoadDir reads every file in dir; each file is closed by the function
// literal that opened it.
func LoadDir(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		err := func() error {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			defer f.Close()
			b, err := io.ReadAll(f)
			if err != nil {
				return err
			}
			out[e.Name()] = string(b)
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
