// Package templates renders campaign bodies with text/template. The shared
// layouts are parsed once (sync.Once); per-campaign templates are cloned from
// them and cached.
package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"

	"example.com/newsletter/internal/obs"
)

// Renderer caches parsed templates by name.
type Renderer struct {
	dir   string
	funcs template.FuncMap

	once    sync.Once
	base    *template.Template
	baseErr error

	mu    sync.RWMutex
	cache map[string]*template.Template
}

// ErrDuplicate is returned when a template name is registered twice.
var ErrDuplicate = errors.New("templates: duplicate name")

// NewRenderer returns a renderer loading layouts from dir/layouts and
// campaign templates from dir/campaigns.
func NewRenderer(dir string, unsubscribeBase string) *Renderer {
	return &Renderer{
		dir: dir,
		funcs: template.FuncMap{
			"upper": strings.ToUpper,
			"unsubscribeURL": func(token string) string {
				return strings.TrimRight(unsubscribeBase, "/") + "/u?t=" + token
			},
		},
		cache: make(map[string]*template.Template),
	}
}

// layouts parses the shared layouts exactly once.
func (r *Renderer) layouts() (*template.Template, error) {
	r.once.Do(func() {
		pattern := filepath.Join(r.dir, "layouts", "*.tmpl")
		r.base, r.baseErr = template.New("layouts").Funcs(r.funcs).ParseGlob(pattern)
	})
	return r.base, r.baseErr
}

// lookup returns the cached template for name, parsing it on first use.
func (r *Renderer) lookup(name string) (*template.Template, error) {
	r.mu.RLock()
	t, ok := r.cache[name]
	r.mu.RUnlock()
	if ok {
		return t, nil
	}
	base, err := r.layouts()
	if err != nil {
		return nil, err
	}
	clone, err := base.Clone()
	if err != nil {
		return nil, err
	}
	if _, err := clone.ParseFiles(filepath.Join(r.dir, "campaigns", name+".tmpl")); err != nil {
		return nil, err
	}
	t = clone.Lookup(name + ".tmpl")
	if t == nil {
		return nil, fmt.Errorf("templates: %s not defined", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing, ok := r.cache[name]; ok {
		return existing, nil
	}
	r.cache[name] = t
	return t, nil
}

// Register adds an inline template (used by the API for test sends).
func (r *Renderer) Register(name, text string) error {
	t, err := template.New(name).Funcs(r.funcs).Parse(text)
	if err != nil {
		return err
	}
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, exists := r.cache[name]; exists {
		return fmt.Errorf("%w: %s", ErrDuplicate, name)
	}
	r.cache[name] = t
	r.mu.Unlock()
	return nil
}

// MustRegister is Register for templates compiled into the binary. The
// panic happens after the lock has been released.
func (r *Renderer) MustRegister(name, text string) {
	t := template.Must(template.New(name).Funcs(r.funcs).Parse(text))
	r.mu.Lock()
	_, exists := r.cache[name]
	if !exists {
		r.cache[name] = t
	}
	r.mu.Unlock()
	if exists {
		panic(fmt.Sprintf("templates: %s registered twice", name))
	}
}

// Forget drops a cached template so the next render re-reads it from disk.
func (r *Renderer) Forget(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.cache[name]
	delete(r.cache, name)
	return ok
}

// Names lists the cached template names.
func (r *Renderer) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.cache))
	for n := range r.cache {
		names = append(names, n)
	}
	return names
}

// Render executes template name into w.
func (r *Renderer) Render(w io.Writer, name string, data any) error {
	defer obs.Region("render")()
	t, err := r.lookup(name)
	if err != nil {
		return err
	}
	return t.Execute(w, data)
}

// RenderString executes template name into a string.
func (r *Renderer) RenderString(name string, data any) (string, error) {
	var buf bytes.Buffer
	if err := r.Render(&buf, name, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// SafeRender is Render for untrusted templates submitted through the
// editor: a panicking template func becomes an error.
func (r *Renderer) SafeRender(w io.Writer, name string, data any) (err error) {
	defer func() {
		obs.Default.Inc("safe_render")
		convert := func() {
			if rec := recover(); rec != nil { // HAZ recover-ineffective
				err = fmt.Errorf("template %s panicked: %v", name, rec)
			}
		}
		convert()
	}()
	return r.Render(w, name, data)
}

// GuardedRender is SafeRender done right: recover is called directly by the
// deferred function.
func (r *Renderer) GuardedRender(w io.Writer, name string, data any) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			obs.Default.Inc("render_panics")
			err = fmt.Errorf("template %s panicked: %v", name, rec)
		}
	}()
	return r.Render(w, name, data)
}

// RenderToFile renders into path, reporting the close error.
func (r *Renderer) RenderToFile(path, name string, data any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return r.Render(f, name, data)
}

// RegisterFile registers a draft template stored outside the template
// directory (previewd uses it for the editor's unsaved drafts).
func (r *Renderer) RegisterFile(name, path string) error {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return err
	}
	return r.Register(name, string(data))
}
