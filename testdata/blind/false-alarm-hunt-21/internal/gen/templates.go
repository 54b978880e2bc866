package gen

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"example.com/fah21/internal/iterx"
)

var funcs = template.FuncMap{
	"export": exportName,
	"lower":  strings.ToLower,
	"quote":  func(s string) string { return fmt.Sprintf("%q", s) },
}

// exportName upper-cases the first letter of s.
func exportName(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// LoadTemplates parses the *.tmpl files directly in dir and the partials in
// dir/partials.
func LoadTemplates(dir string) (*template.Template, error) {
	root := template.New("root").Funcs(funcs)
	for path := range iterx.Files(dir, ".tmpl") {
		if filepath.Dir(path) != filepath.Clean(dir) {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if _, err := root.New(filepath.Base(path)).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	partials, err := loadPartials(filepath.Join(dir, "partials"))
	if err != nil {
		return nil, err
	}
	for name, body := range partials {
		if _, err := root.New(name).Parse(body); err != nil {
			return nil, fmt.Errorf("partial %s: %w", name, err)
		}
	}
	return root, nil
}

// loadPartials reads every *.tmpl under dir, keyed by "partials/<name>".
func loadPartials(dir string) (map[string]string, error) {
	partials := make(map[string]string)
	for path := range iterx.Files(dir, ".tmpl") {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return nil, err
		}
		partials["partials/"+filepath.ToSlash(rel)] = string(b)
	}
	return partials, nil
}

// templateNames lists the template files that LoadTemplates would parse,
// reading each one's first line to skip files marked "{{/* disabled */}}".
func templateNames(dir string) ([]string, error) {
	var names []string
	for path := range iterx.Files(dir, ".tmpl") {
		disabled, err := func() (bool, error) {
			f, err := os.Open(path)
			if err != nil {
				return false, err
			}
			defer f.Close()
			first := make([]byte, 32)
			n, err := f.Read(first)
			if err != nil && err != io.EOF {
				return false, err
			}
			return strings.HasPrefix(string(first[:n]), "{{/* disabled */}}"), nil
		}()
		if err != nil {
			return nil, err
		}
		if !disabled {
			names = append(names, filepath.Base(path))
		}
	}
	return names, nil
}
