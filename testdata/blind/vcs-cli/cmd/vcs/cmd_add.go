package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

func cmdInit(env *cli.Env, args []string) int {
	fs := newFlags(env, "init", "[-b <branch>] [<directory>]")
	branch := fs.String("b", "main", "name of the initial branch")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	dir := env.Dir
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	r, err := repo.Init(dir, *branch)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	fmt.Fprintf(env.Stdout, "Initialized empty vcs repository in %s\n", r.Dir)
	return cli.ExitOK
}

type ignoreList []string

// loadIgnore reads .vcsignore from the top of the working copy.
func loadIgnore(root string) (ignoreList, error) {
	f, err := os.Open(filepath.Join(root, ".vcsignore"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var pats ignoreList
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			pats = append(pats, line)
		}
	}
	return pats, sc.Err()
}

// Match reports whether rel or any of its parent directories is ignored.
func (l ignoreList) Match(rel string) bool {
	for _, pat := range l {
		for p := rel; p != "." && p != "/"; p = path.Dir(p) {
			if ok, _ := path.Match(pat, path.Base(p)); ok {
				return true
			}
		}
	}
	return false
}

// relPath turns a command-line path into a slash path relative to root.
func relPath(root, arg string) (string, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return "", err
	}
	if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the repository", arg)
	}
	return filepath.ToSlash(rel), nil
}

func cmdAdd(env *cli.Env, args []string) int {
	fs := newFlags(env, "add", "[-f] <pathspec>...")
	force := fs.Bool("f", false, "allow adding otherwise ignored files")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(env.Stderr, "Nothing specified, nothing added.")
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "worktree"))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	defer lf.Rollback()
	ignore, err := loadIgnore(r.Root)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	var paths, ignored []string
	for _, arg := range fs.Args() {
		rel, err := relPath(r.Root, arg)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if !*force && ignore.Match(rel) {
			ignored = append(ignored, rel)
			continue
		}
		paths = append(paths, rel)
	}
	if len(ignored) > 0 {
		fmt.Fprintln(env.Stderr, "The following paths are ignored by your .vcsignore file:")
		for _, p := range ignored {
			fmt.Fprintln(env.Stderr, p)
		}
		fmt.Fprintln(env.Stderr, "Use -f if you really want to add them.")
		os.Exit(cli.ExitUsage) // HAZ exit-skips-defer
	}
	if err := r.Add(paths); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}

func cmdMv(env *cli.Env, args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(env.Stderr, "usage: vcs mv <source> <destination>")
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	from, err := relPath(r.Root, args[0])
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	to, err := relPath(r.Root, args[1])
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	ix, err := r.Index()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if err := ix.Rename(from, to); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if err := os.Rename(filepath.Join(r.Root, from), filepath.Join(r.Root, to)); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if err := ix.Write(); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}
