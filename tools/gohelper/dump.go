package main

// The canonical dump of a go/ast tree. docs/parser-dump.md defines the format; src/syntax/dump.ts
// prints deferguard's tree in the same format, so equal trees give equal bytes.

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// skipped lists the go/ast fields that are not part of the syntax tree proper: the deprecated
// object resolution and File.Imports, which only repeats ImportSpecs found in Decls.
var skipped = map[string]bool{
	"Ident.Obj":       true,
	"File.Scope":      true,
	"File.Unresolved": true,
	"File.Imports":    true,
}

var (
	posType     = reflect.TypeOf(token.NoPos)
	tokenType   = reflect.TypeOf(token.ILLEGAL)
	chanDirType = reflect.TypeOf(ast.SEND)
)

// dumpedField is one struct field as the dump names it.
type dumpedField struct {
	name  string // Go field name with its first letter lower-cased
	index int
}

var fieldCache = map[reflect.Type][]dumpedField{}

// fieldsOf returns the dumped fields of a go/ast node struct type, sorted by dumped name.
func fieldsOf(t reflect.Type) []dumpedField {
	if fs, ok := fieldCache[t]; ok {
		return fs
	}
	var fs []dumpedField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || skipped[t.Name()+"."+f.Name] {
			continue
		}
		fs = append(fs, dumpedField{strings.ToLower(f.Name[:1]) + f.Name[1:], i})
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].name < fs[j].name })
	fieldCache[t] = fs
	return fs
}

// dumper writes the dump of one file's tree. Positions become byte offsets in tf.
type dumper struct {
	w  *bufio.Writer
	tf *token.File
}

// unsupportedError reports a go/ast field whose type the dump format does not define (a newer
// go/ast than the format knows).
type unsupportedError struct{ where, typ string }

func (e unsupportedError) Error() string {
	return fmt.Sprintf("canonical dump: field %s has type %s, which the dump format does not define", e.where, e.typ)
}

func (d *dumper) indent(depth int) {
	for i := 0; i < depth; i++ {
		d.w.WriteString("  ")
	}
}

// node writes a node (a non-nil pointer to a go/ast struct, or nil) whose first line has already
// been indented; its fields go on the following lines at depth+1.
func (d *dumper) node(v reflect.Value, depth int) {
	for v.Kind() == reflect.Interface {
		if v.IsNil() {
			d.w.WriteString("nil\n")
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Pointer || v.Type().Elem().Kind() != reflect.Struct {
		panic(unsupportedError{"(node)", v.Type().String()})
	}
	if v.IsNil() {
		d.w.WriteString("nil\n")
		return
	}
	s := v.Elem()
	t := s.Type()
	d.w.WriteString(t.Name())
	d.w.WriteByte('\n')
	for _, f := range fieldsOf(t) {
		d.indent(depth + 1)
		d.w.WriteString(f.name)
		d.w.WriteString(": ")
		d.value(s.Field(f.index), t.Name()+"."+t.Field(f.index).Name, depth+1)
	}
}

// value writes the value of a field that sits at depth, after its "name: " prefix.
func (d *dumper) value(v reflect.Value, where string, depth int) {
	switch v.Type() {
	case posType:
		pos := token.Pos(v.Int())
		if pos == token.NoPos {
			d.w.WriteString("-\n")
		} else {
			fmt.Fprintf(d.w, "%d\n", int(pos)-d.tf.Base())
		}
		return
	case tokenType:
		d.w.WriteString(token.Token(v.Int()).String())
		d.w.WriteByte('\n')
		return
	case chanDirType:
		fmt.Fprintf(d.w, "%d\n", v.Int())
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			d.w.WriteString("true\n")
		} else {
			d.w.WriteString("false\n")
		}
	case reflect.String:
		writeQuoted(d.w, v.String())
		d.w.WriteByte('\n')
	case reflect.Pointer, reflect.Interface:
		d.node(v, depth)
	case reflect.Slice:
		if v.Len() == 0 {
			d.w.WriteString("[]\n")
			return
		}
		d.w.WriteString("[\n")
		for i := 0; i < v.Len(); i++ {
			d.indent(depth + 1)
			d.node(v.Index(i), depth+1)
		}
		d.indent(depth)
		d.w.WriteString("]\n")
	default:
		panic(unsupportedError{where, v.Type().String()})
	}
}

// writeQuoted writes s between double quotes, escaping backslash, double quote, and the C0
// control characters and DEL (\n, \r, \t by name, the others as \xHH). Every other character is
// written as itself in UTF-8; a byte that is not valid UTF-8 is written as U+FFFD.
func writeQuoted(w *bufio.Writer, s string) {
	w.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				w.WriteString(`\"`)
			case c == '\\':
				w.WriteString(`\\`)
			case c == '\n':
				w.WriteString(`\n`)
			case c == '\r':
				w.WriteString(`\r`)
			case c == '\t':
				w.WriteString(`\t`)
			case c < 0x20 || c == 0x7f:
				fmt.Fprintf(w, `\x%02x`, c)
			default:
				w.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.WriteRune(utf8.RuneError)
		} else {
			w.WriteString(s[i : i+size])
		}
		i += size
	}
	w.WriteByte('"')
}

// dumpFile writes the canonical dump of f, whose positions belong to tf, to w.
func dumpFile(w *bufio.Writer, f *ast.File, tf *token.File) (err error) {
	defer func() {
		if r := recover(); r != nil {
			u, ok := r.(unsupportedError)
			if !ok {
				panic(r)
			}
			err = u
		}
	}()
	d := &dumper{w: w, tf: tf}
	d.node(reflect.ValueOf(f), 0)
	return nil
}
