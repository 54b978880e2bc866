package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

const callsUsage = `usage: gohelper calls [-tags a,b] [dir ...]

Type-checks the package in each directory with go/types and prints, for every call expression
whose callee go/types can name, the byte offset of the call's "(" and the callee's name
(docs/parity-types.md). The directories are the arguments or, without arguments, the lines of
standard input, each "<dir>" or "<dir>\t<import path>". Without an import path, a directory in
GOROOT gets its standard-library path, one in a module its path below the go.mod's module path. Files are chosen as go/build does for the default context (GOOS, GOARCH,
CGO_ENABLED from the environment, plus -tags): the package's GoFiles and CgoFiles, no tests.
Imports are type-checked from source. Type errors do not stop the check; the calls that
go/types could still resolve are printed.

Output, per directory:

    ## <dir>\t<import path>\t<number of type errors>\t<first type error or "">
    ### <file path>
    <offset>\t<name>

or, when the directory holds no package for the context, "## <dir>\t-\t0\t<reason>".
`

func runCalls(args []string) int {
	fs := flag.NewFlagSet("calls", flag.ContinueOnError)
	tags := fs.String("tags", "", "comma-separated build tags")
	fs.Usage = func() { fmt.Fprint(os.Stderr, callsUsage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	ctxt := build.Default
	if *tags != "" {
		for _, t := range strings.Split(*tags, ",") {
			if t = strings.TrimSpace(t); t != "" {
				ctxt.BuildTags = append(ctxt.BuildTags, t)
			}
		}
	}
	// The source importer reads build.Default; give it the same tags.
	build.Default = ctxt

	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	c := &callChecker{
		ctxt:  &build.Default,
		fset:  token.NewFileSet(),
		sizes: types.SizesFor("gc", ctxt.GOARCH),
	}
	// One importer for the whole run: it caches every package it has type-checked. It reads
	// build.Default through a pointer, so setting build.Default.Dir per package makes go/build
	// find imports in that package's module (it runs go list there for non-GOROOT paths).
	c.imp = &moduleImportCache{
		imp:    importer.ForCompiler(c.fset, "source", nil).(types.ImporterFrom),
		goroot: filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator),
		done:   map[[2]string]*types.Package{},
	}

	if fs.NArg() > 0 {
		for _, dir := range fs.Args() {
			c.check(out, dir, "")
		}
		return 0
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<16), 1<<20)
	for in.Scan() {
		if line := in.Text(); line != "" {
			dir, importPath, _ := strings.Cut(line, "\t")
			c.check(out, dir, importPath)
			// Let the reader see each package as soon as it is done.
			out.Flush()
		}
	}
	if err := in.Err(); err != nil {
		out.Flush()
		fmt.Fprintf(os.Stderr, "gohelper calls: reading directories from standard input: %v\n", err)
		return 2
	}
	return 0
}

type callChecker struct {
	ctxt  *build.Context
	fset  *token.FileSet
	sizes types.Sizes
	imp   *moduleImportCache
}

// moduleImportCache remembers the source importer's answers for imports made outside GOROOT,
// per import path and module directory: each of those would otherwise run go list again.
// Imports made from GOROOT are resolved in process (with its vendor directories) and passed on.
type moduleImportCache struct {
	imp    types.ImporterFrom
	goroot string
	done   map[[2]string]*types.Package
}

func (m *moduleImportCache) Import(path string) (*types.Package, error) {
	return m.ImportFrom(path, "", 0)
}

func (m *moduleImportCache) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	if strings.HasPrefix(dir+string(filepath.Separator), m.goroot) {
		return m.imp.ImportFrom(path, dir, mode)
	}
	key := [2]string{path, build.Default.Dir}
	if p := m.done[key]; p != nil {
		return p, nil
	}
	p, err := m.imp.ImportFrom(path, dir, mode)
	if err == nil && p != nil && p.Complete() {
		m.done[key] = p
	}
	return p, err
}

func (c *callChecker) check(out *bufio.Writer, dir, importPath string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		fmt.Fprintf(out, "## %s\t-\t0\t%s\n", dir, oneLine(err.Error()))
		return
	}
	// Imports outside GOROOT are found with go list, run in the package's own module.
	c.ctxt.Dir = abs
	bp, err := c.ctxt.ImportDir(abs, 0)
	if err != nil && bp == nil {
		fmt.Fprintf(out, "## %s\t-\t0\t%s\n", dir, oneLine(err.Error()))
		return
	}
	names := append(append([]string(nil), bp.GoFiles...), bp.CgoFiles...)
	if len(names) == 0 {
		reason := "no Go files for the build context"
		if err != nil {
			reason = err.Error()
		}
		fmt.Fprintf(out, "## %s\t-\t0\t%s\n", dir, oneLine(reason))
		return
	}
	sort.Strings(names)
	var files []*ast.File
	var paths []string
	var firstErr string
	nerr := 0
	for _, name := range names {
		path := filepath.Join(dir, name)
		f, perr := parser.ParseFile(c.fset, path, nil, parser.SkipObjectResolution)
		if perr != nil {
			nerr++
			if firstErr == "" {
				firstErr = perr.Error()
			}
		}
		if f != nil {
			files = append(files, f)
			paths = append(paths, path)
		}
	}
	if importPath == "" {
		importPath = bp.ImportPath
	}
	if importPath == "" || importPath == "." {
		importPath = modulePackagePath(abs)
	}
	conf := types.Config{
		Importer:    c.imp,
		Sizes:       c.sizes,
		FakeImportC: len(bp.CgoFiles) > 0,
		Error: func(e error) {
			nerr++
			if firstErr == "" {
				firstErr = e.Error()
			}
		},
	}
	info := &types.Info{
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	// With Error set, Check keeps going after errors; the partial information is what we want.
	conf.Check(importPath, c.fset, files, info)

	fmt.Fprintf(out, "## %s\t%s\t%d\t%s\n", dir, importPath, nerr, oneLine(firstErr))
	for i, f := range files {
		fmt.Fprintf(out, "### %s\n", paths[i])
		tf := c.fset.File(f.Pos())
		type rec struct {
			off  int
			name string
		}
		var recs []rec
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if name := calleeName(info, call); name != "" {
				recs = append(recs, rec{tf.Offset(call.Lparen), name})
			}
			return true
		})
		sort.Slice(recs, func(i, j int) bool { return recs[i].off < recs[j].off })
		for _, r := range recs {
			fmt.Fprintf(out, "%d\t%s\n", r.off, r.name)
		}
	}
}

// calleeFun is the call's Fun without parentheses and without the instantiation of a generic
// function (f[int] → f, p.F[int, string] → p.F). An index whose operand is not a function
// (a slice or map of funcs: handlers[i]) is kept, so the call is not nameable.
func calleeFun(info *types.Info, fun ast.Expr) ast.Expr {
	fun = ast.Unparen(fun)
	var x ast.Expr
	switch e := fun.(type) {
	case *ast.IndexExpr:
		x = e.X
	case *ast.IndexListExpr:
		x = e.X
	default:
		return fun
	}
	x = ast.Unparen(x)
	var id *ast.Ident
	switch e := x.(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	default:
		return fun
	}
	switch info.Uses[id].(type) {
	case *types.Func, *types.TypeName:
		return x
	}
	return fun
}

// calleeName names what a call calls, or returns "" when go/types has no nameable answer.
func calleeName(info *types.Info, call *ast.CallExpr) string {
	var id *ast.Ident
	switch e := calleeFun(info, call.Fun).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	default:
		return ""
	}
	switch obj := info.Uses[id].(type) {
	case *types.Builtin:
		if obj.Pkg() != nil && obj.Pkg().Path() == "unsafe" {
			return "builtin unsafe." + obj.Name()
		}
		return "builtin " + obj.Name()
	case *types.Var:
		return "var " + obj.Name()
	case *types.Func:
		return funcName(obj.Origin())
	}
	return ""
}

// funcName is PKGPATH.Name for a function and (PKGPATH.T).M or (*PKGPATH.T).M for a method, by
// its declared receiver, without type arguments; (interface).M for a method of an interface type
// literal.
func funcName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		if fn.Pkg() == nil {
			return ""
		}
		return pkgPath(fn.Pkg().Path()) + "." + fn.Name()
	}
	t := sig.Recv().Type()
	star := ""
	if p, ok := t.(*types.Pointer); ok {
		star = "*"
		t = p.Elem()
	}
	t = types.Unalias(t)
	var obj *types.TypeName
	switch n := t.(type) {
	case *types.Named:
		obj = n.Origin().Obj()
	case *types.Interface:
		// A method of an interface type literal (a field's or variable's type, a constraint).
		return "(" + star + "interface)." + fn.Name()
	default:
		return ""
	}
	if obj.Pkg() == nil {
		// A universe type: error.
		return "(" + star + obj.Name() + ")." + fn.Name()
	}
	return "(" + star + pkgPath(obj.Pkg().Path()) + "." + obj.Name() + ")." + fn.Name()
}

// pkgPath is the import path as written in importing code: a package found in a vendor
// directory (GOROOT/src/vendor/golang.org/x/net/..., cmd/vendor/...) is named without the
// vendor prefix.
func pkgPath(path string) string {
	if strings.HasPrefix(path, "vendor/") {
		return path[len("vendor/"):]
	}
	if i := strings.LastIndex(path, "/vendor/"); i >= 0 {
		return path[i+len("/vendor/"):]
	}
	return path
}

// modulePackagePath is the import path of the package in dir (absolute) from the nearest go.mod
// above it, or the slash-separated directory itself when there is none.
func modulePackagePath(dir string) string {
	for d := dir; ; {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				f := strings.Fields(line)
				if len(f) >= 2 && f[0] == "module" {
					mod := strings.Trim(f[1], "\"`")
					rel, err := filepath.Rel(d, dir)
					if err != nil || rel == "." {
						return mod
					}
					return path.Join(mod, filepath.ToSlash(rel))
				}
			}
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return filepath.ToSlash(dir)
}
