package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

// resolveObject accepts a full object name, a branch, a tag or a full ref.
func resolveObject(r *repo.Repo, spec string) (object.ID, error) {
	if id, err := object.ParseID(spec); err == nil {
		return id, nil
	}
	for _, name := range []string{spec, "refs/heads/" + spec, "refs/tags/" + spec} {
		id, err := r.Refs.Resolve(name)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, refs.ErrNotFound) && !errors.Is(err, os.ErrNotExist) {
			return object.ZeroID, err
		}
	}
	return object.ZeroID, fmt.Errorf("not a valid object name: '%s'", spec)
}

func cmdCatFile(env *cli.Env, args []string) int {
	fs := newFlags(env, "cat-file", "(-t | -s | -p) [-o <file>] <object>")
	showType := fs.Bool("t", false, "show the object type")
	showSize := fs.Bool("s", false, "show the object size")
	outPath := fs.String("o", "", "write the payload to <file> instead of stdout")
	fs.Bool("p", true, "pretty-print the object's content")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	id, err := resolveObject(r, fs.Arg(0))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if *showSize {
		n, err := r.Objects.Size(id)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		fmt.Fprintln(env.Stdout, n)
		return cli.ExitOK
	}
	kind, data, err := r.Objects.Read(id)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if *showType {
		fmt.Fprintln(env.Stdout, kind)
		return cli.ExitOK
	}
	var w io.Writer = env.Stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		defer f.Close() // HAZ defer-close-unchecked-write
		w = f
	}
	if kind == object.KindTree {
		t, err := object.DecodeTree(data)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		for _, e := range t.Entries {
			fmt.Fprintf(w, "%06o %s\t%s\n", e.Mode, e.ID, e.Name)
		}
		return cli.ExitOK
	}
	if _, err := w.Write(data); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}

func cmdCheckout(env *cli.Env, args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.Stderr, "usage: vcs checkout <branch>")
		os.Exit(cli.ExitUsage)
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
	target := args[0]
	ref := "refs/heads/" + target
	id, err := r.Refs.Resolve(ref)
	if err != nil {
		return cli.Errorf(env, "pathspec '%s' did not match any branch known to vcs", target)
	}
	changes, err := r.Status()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	var dirty []string
	for _, ch := range changes {
		if ch.Kind == repo.Modified {
			dirty = append(dirty, ch.Path)
		}
	}
	if len(dirty) > 0 {
		fmt.Fprintln(env.Stderr, "error: your local changes to the following files would be overwritten by checkout:")
		for _, p := range dirty {
			fmt.Fprintf(env.Stderr, "\t%s\n", p)
		}
		return cli.ExitConflict
	}
	old, _ := r.Head()
	if err := r.Checkout(id); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if err := r.Refs.SetHead(ref); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	r.Hooks.Notify(context.Background(), "post-checkout", old.String(), id.String(), "1")
	fmt.Fprintf(env.Stderr, "Switched to branch '%s'\n", target)
	return cli.ExitOK
}

func cmdBranch(env *cli.Env, args []string) int {
	fs := newFlags(env, "branch", "[-d] [<name>]")
	del := fs.Bool("d", false, "delete a branch")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	switch {
	case fs.NArg() == 0:
		all, err := r.Refs.List("refs/heads/")
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		current, _ := r.CurrentBranch()
		names := make([]string, 0, len(all))
		for name := range all {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			mark := " "
			if name == current {
				mark = "*"
			}
			fmt.Fprintf(env.Stdout, "%s %s\n", mark, strings.TrimPrefix(name, "refs/heads/"))
		}
	case *del:
		ref := "refs/heads/" + fs.Arg(0)
		if current, _ := r.CurrentBranch(); current == ref {
			return cli.Errorf(env, "cannot delete branch '%s' checked out", fs.Arg(0))
		}
		if err := r.Refs.Delete(ref); err != nil {
			return cli.Errorf(env, "%v", err)
		}
		fmt.Fprintf(env.Stdout, "Deleted branch %s.\n", fs.Arg(0))
	default:
		head, err := r.Head()
		if err != nil {
			return cli.Errorf(env, "not a valid object name: 'HEAD'")
		}
		if err := r.Refs.Update("refs/heads/"+fs.Arg(0), head, object.ZeroID); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	}
	return cli.ExitOK
}
