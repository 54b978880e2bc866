// Package codegen generates Go source for enum types described in a small
// spec file:
//
//	package colors
//	enum Color Red Green Blue
package codegen

import (
	"bufio"
	"fmt"
	"go/token"
	"io"
	"os"
	"strings"
)

// Spec is a parsed spec file.
type Spec struct {
	Package string
	Enums   []Enum
}

// Enum is one enum type and its values, in order.
type Enum struct {
	Name   string
	Values []string
}

// LoadSpec reads and parses the spec file at path.
func LoadSpec(path string) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	return ParseSpec(f, path)
}

// ParseSpec parses a spec from r; name is used in error messages.
func ParseSpec(r io.Reader, name string) (*Spec, error) {
	s := &Spec{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		switch fields[0] {
		case "package":
			if len(fields) != 2 || !token.IsIdentifier(fields[1]) {
				return nil, fmt.Errorf("%s:%d: want: package NAME", name, n)
			}
			s.Package = fields[1]
		case "enum":
			if len(fields) < 3 {
				return nil, fmt.Errorf("%s:%d: want: enum NAME VALUE...", name, n)
			}
			for _, id := range fields[1:] {
				if !token.IsIdentifier(id) {
					return nil, fmt.Errorf("%s:%d: %q is not an identifier", name, n, id)
				}
			}
			s.Enums = append(s.Enums, Enum{Name: fields[1], Values: fields[2:]})
		default:
			return nil, fmt.Errorf("%s:%d: unknown directive %q", name, n, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if s.Package == "" {
		return nil, fmt.Errorf("%s: missing package line", name)
	}
	return s, nil
}
