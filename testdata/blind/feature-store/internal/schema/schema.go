package schema

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// ErrUnknown is returned for a view the registry has never seen.
var ErrUnknown = errors.New("schema: unknown feature view")

var (
	nameRE     = regexp.MustCompile(`^[a-z0-9_]+$`)
	validTypes = map[string]bool{
		"float64": true, "int64": true, "string": true, "bool": true, "embedding": true,
	}
)

// Field is one feature of a view.
type Field struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Nullable bool   `json:"nullable,omitempty"`
	Dim      int    `json:"dim,omitempty"` // embeddings only
}

// Schema is one immutable version of a feature view.
type Schema struct {
	Name    string    `json:"name"`
	Version int       `json:"version"`
	Entity  string    `json:"entity"`
	Fields  []Field   `json:"fields"`
	Created time.Time `json:"created"`
}

// Validate checks names, types and uniqueness.
func (s *Schema) Validate() error {
	if !nameRE.MatchString(s.Name) {
		return fmt.Errorf("schema: bad view name %q", s.Name)
	}
	if len(s.Fields) == 0 {
		return fmt.Errorf("schema %s: no fields", s.Name)
	}
	seen := make(map[string]bool, len(s.Fields))
	for i, f := range s.Fields {
		if !nameRE.MatchString(f.Name) {
			return fmt.Errorf("schema %s: field %d: bad name %q", s.Name, i, f.Name)
		}
		if !validTypes[f.Type] {
			return fmt.Errorf("schema %s: field %s: unknown type %q", s.Name, f.Name, f.Type)
		}
		if f.Type == "embedding" && f.Dim <= 0 {
			return fmt.Errorf("schema %s: embedding %s needs dim", s.Name, f.Name)
		}
		if seen[f.Name] {
			return fmt.Errorf("schema %s: duplicate field %s", s.Name, f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

// Field looks a field up by name.
func (s *Schema) Field(name string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Compatible reports whether next can replace prev without breaking online
// readers: fields may be added (nullable only) but never removed or retyped.
func Compatible(prev, next *Schema) error {
	for _, old := range prev.Fields {
		nf, ok := next.Field(old.Name)
		if !ok {
			return fmt.Errorf("schema %s: field %s removed", prev.Name, old.Name)
		}
		if nf.Type != old.Type || nf.Dim != old.Dim {
			return fmt.Errorf("schema %s: field %s changed type", prev.Name, old.Name)
		}
	}
	for _, nf := range next.Fields {
		if _, ok := prev.Field(nf.Name); !ok && !nf.Nullable {
			return fmt.Errorf("schema %s: new field %s must be nullable", prev.Name, nf.Name)
		}
	}
	return nil
}
