// Package render turns text templates into generated files.
package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"example.com/fah24/internal/fsutil"
)

// Funcs are the helpers available to every template.
var Funcs = template.FuncMap{
	"camel": Camel,
	"snake": Snake,
	"quote": strconv.Quote,
	"lower": strings.ToLower,
	"json":  toJSON,
	"yaml":  toYAMLish,
}

// Renderer holds the parsed template set of one template directory.
type Renderer struct {
	dir  string
	tmpl *template.Template
}

// New parses every *.tmpl file in dir.
func New(dir string) (*Renderer, error) {
	t, err := template.New("root").Funcs(Funcs).ParseGlob(filepath.Join(dir, "*.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("parse templates in %s: %w", dir, err)
	}
	return &Renderer{dir: dir, tmpl: t}, nil
}

// Names lists the templates that can be rendered, sorted.
func (r *Renderer) Names() []string {
	var names []string
	for _, t := range r.tmpl.Templates() {
		if strings.HasSuffix(t.Name(), ".tmpl") {
			names = append(names, t.Name())
		}
	}
	slices.Sort(names)
	return names
}

// RenderTo executes template name into w through a buffer and reports the
// flush error, which is where a short write on w shows up.
func (r *Renderer) RenderTo(w io.Writer, name string, data any) error {
	bw := bufio.NewWriter(w)
	if err := r.tmpl.ExecuteTemplate(bw, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return bw.Flush()
}

// RenderFile renders template name into path atomically.
func (r *Renderer) RenderFile(path, name string, data any) error {
	return fsutil.WriteWith(path, 0o644, func(w io.Writer) error {
		return r.tmpl.ExecuteTemplate(w, name, data)
	})
}

// RenderGo renders a Go source template, gofmts it and writes it to path.
func (r *Renderer) RenderGo(path, name string, data any) error {
	var buf bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return fmt.Errorf("%s: generated code does not parse: %w", path, err)
	}
	return fsutil.WriteFile(path, src, 0o644)
}

// Camel converts snake_case or kebab-case to CamelCase.
func Camel(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r == '_' || r == '-' || r == ' ':
			upper = true
		case upper:
			b.WriteRune(unicode.ToUpper(r))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Snake converts CamelCase to snake_case.
func Snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// toJSON is the "json" template func: compact JSON of v.
func toJSON(v any) (s string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a value whose MarshalJSON panics renders as nothing
		}
	}()
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// toYAMLish is the "yaml" template func: a flat "key: value" rendering of
// a map. A value whose String method panics becomes a template error
// instead of crashing the generator.
func toYAMLish(m map[string]any) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: value panicked: %v", r)
		}
	}()
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s: %v\n", k, m[k])
	}
	return b.String(), nil
}
