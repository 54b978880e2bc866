// Package manifest parses the text manifests that list a mirror's files.
//
//	manifest <name>
//	<path> <size>
//	...
package manifest

import (
	"fmt"
	"strconv"
	"strings"
)

// Manifest lists the files of one mirror.
type Manifest struct {
	Name  string
	Files []File
}

// File is one manifest entry.
type File struct {
	Path string
	Size int64
}

type parseError struct {
	line int
	msg  string
}

func (e parseError) Error() string { return fmt.Sprintf("manifest line %d: %s", e.line, e.msg) }

type parser struct {
	lines []string
	pos   int
}

// fail aborts parsing; Parse and ParseStrict turn the panic into an error.
func (p *parser) fail(format string, args ...any) {
	panic(parseError{line: p.pos, msg: fmt.Sprintf(format, args...)})
}

func (p *parser) next() (string, bool) {
	for p.pos < len(p.lines) {
		line := strings.TrimSpace(p.lines[p.pos])
		p.pos++
		if line != "" && !strings.HasPrefix(line, "#") {
			return line, true
		}
	}
	return "", false
}

func (p *parser) parse() *Manifest {
	header, ok := p.next()
	if !ok || !strings.HasPrefix(header, "manifest ") {
		p.fail("missing manifest header")
	}
	m := &Manifest{Name: strings.TrimPrefix(header, "manifest ")}
	for {
		line, ok := p.next()
		if !ok {
			return m
		}
		path, size, found := strings.Cut(line, " ")
		if !found {
			p.fail("want <path> <size>, got %q", line)
		}
		n, err := strconv.ParseInt(strings.TrimSpace(size), 10, 64)
		if err != nil {
			p.fail("bad size %q", size)
		}
		m.Files = append(m.Files, File{Path: path, Size: n})
	}
}

// Parse parses a manifest.
func Parse(data []byte) (m *Manifest, err error) {
	p := &parser{lines: strings.Split(string(data), "\n")}
	defer func() {
		switch e := recover().(type) { // HAZ recover-swallows-panic
		case nil:
		case parseError:
			m, err = nil, e
		default:
		}
	}()
	return p.parse(), nil
}

// ParseStrict is Parse that re-panics anything that is not a parse error.
func ParseStrict(data []byte) (m *Manifest, err error) {
	p := &parser{lines: strings.Split(string(data), "\n")}
	defer func() {
		switch e := recover().(type) {
		case nil:
		case parseError:
			m, err = nil, e
		default:
			panic(e)
		}
	}()
	return p.parse(), nil
}

// Total sums the sizes of the manifest's files.
func (m *Manifest) Total() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}
