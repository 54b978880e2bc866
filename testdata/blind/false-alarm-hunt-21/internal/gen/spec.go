// Package gen is the core of stubgen: it loads spec files, renders them
// through templates or built-in backends and writes the generated sources.
package gen

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"example.com/fah21/internal/iterx"
)

// Spec describes one file to generate.
type Spec struct {
	Name     string            `json:"name"`
	Package  string            `json:"package"`
	Template string            `json:"template"`
	Out      string            `json:"out"`
	Fields   map[string]string `json:"fields"`
	Skip     bool              `json:"skip"`
}

// LoadSpecs reads a JSON array of specs from path and validates them.
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
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i := range specs {
		if err := specs[i].validate(); err != nil {
			return nil, fmt.Errorf("%s: spec %d: %w", path, i, err)
		}
	}
	return specs, nil
}

// LoadSpecDir loads every *.json spec file under dir, in lexical order.
func LoadSpecDir(dir string) ([]Spec, error) {
	var all []Spec
	for path := range iterx.Files(dir, ".json") {
		specs, err := LoadSpecs(path)
		if err != nil {
			return nil, err
		}
		all = append(all, specs...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no specs under %s", dir)
	}
	return all, nil
}

func (s *Spec) validate() error {
	switch {
	case s.Name == "":
		return errors.New("missing name")
	case !token.IsIdentifier(s.Package):
		return fmt.Errorf("%s: package %q is not an identifier", s.Name, s.Package)
	case s.Template == "":
		return fmt.Errorf("%s: missing template", s.Name)
	case s.Out == "" || filepath.IsAbs(s.Out) || strings.HasPrefix(filepath.Clean(s.Out), ".."):
		return fmt.Errorf("%s: out %q must be a path inside the output directory", s.Name, s.Out)
	}
	return nil
}
