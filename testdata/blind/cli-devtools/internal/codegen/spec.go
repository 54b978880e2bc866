// Package codegen renders Go source from small type specs (the engine of
// the gogen tool): templates, gofmt, and careful file output.
package codegen

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"unicode"
)

// Field is one struct field of a spec.
type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Tag  string `json:"tag,omitempty"`
}

// Spec describes one generated type.
type Spec struct {
	Name   string  `json:"name"`
	Fields []Field `json:"fields"`
	Doc    string  `json:"doc,omitempty"`
}

// LoadSpecs reads a JSON list of specs.
func LoadSpecs(path string) ([]Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var specs []Spec
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&specs); err != nil {
		return nil, fmt.Errorf("codegen: %s: %w", path, err)
	}
	for i := range specs {
		if err := specs[i].Validate(); err != nil {
			return nil, fmt.Errorf("codegen: %s: spec %d: %w", path, i, err)
		}
	}
	return specs, nil
}

// Validate checks names and types.
func (s Spec) Validate() error {
	if !isIdent(s.Name) {
		return fmt.Errorf("bad type name %q", s.Name)
	}
	seen := map[string]bool{}
	for _, f := range s.Fields {
		if !isIdent(f.Name) {
			return fmt.Errorf("%s: bad field name %q", s.Name, f.Name)
		}
		if seen[f.Name] {
			return fmt.Errorf("%s: duplicate field %q", s.Name, f.Name)
		}
		seen[f.Name] = true
		if strings.TrimSpace(f.Type) == "" {
			return fmt.Errorf("%s.%s: missing type", s.Name, f.Name)
		}
	}
	return nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r)) {
			continue
		}
		return false
	}
	return true
}

// ExportName upper-cases the first letter.
func ExportName(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// SnakeCase converts CamelCase to snake_case for tags and file names.
func SnakeCase(s string) string {
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

// ReceiverName picks a short receiver name for a type.
func ReceiverName(typeName string) string {
	if typeName == "" {
		return "x"
	}
	return strings.ToLower(typeName[:1])
}

// FileName is the output file name of a spec.
func (s Spec) FileName() string { return SnakeCase(s.Name) + "_gen.go" }
