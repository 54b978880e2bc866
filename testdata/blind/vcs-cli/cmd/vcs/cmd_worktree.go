package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/notes"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/worktrees"
)

func cmdWorktree(env *cli.Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "usage: vcs worktree (add <path> <branch> | list | remove [--force] <name> | prune)")
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	m, err := worktrees.Open(filepath.Join(r.Dir, "worktrees"), log.New(env.Stderr, "", 0))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	switch args[0] {
	case "add":
		if len(args) != 3 {
			return cli.ExitUsage
		}
		path, err := filepath.Abs(args[1])
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if err := m.Add(filepath.Base(path), path, "refs/heads/"+args[2]); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	case "list":
		for _, wt := range m.List() {
			fmt.Fprintf(env.Stdout, "%-40s [%s]\n", wt.Path, wt.Branch)
		}
	case "remove":
		force := len(args) > 2 && args[1] == "--force"
		if err := m.Remove(args[len(args)-1], force); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	case "prune":
		pruned, err := m.Prune()
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		for _, name := range pruned {
			fmt.Fprintf(env.Stderr, "Removing worktrees/%s: gitdir file points to non-existent location\n", name)
		}
	default:
		return cli.Errorf(env, "unknown worktree command %q", args[0])
	}
	return cli.ExitOK
}

// notesUsage prints the usage of `vcs notes` and exits with status 129.
func notesUsage(env *cli.Env) {
	fmt.Fprintln(env.Stderr, "usage: vcs notes (add -m <msg> <object> | show <object> | prune)")
	os.Exit(129)
}

func cmdNotes(env *cli.Env, args []string) int {
	if len(args) == 0 {
		notesUsage(env)
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "notes", "INDEX"))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	defer lf.Rollback()
	st, err := notes.Open(filepath.Join(r.Dir, "notes"), log.New(env.Stderr, "", 0))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	switch args[0] {
	case "add":
		if len(args) != 4 || args[1] != "-m" {
			notesUsage(env) // HAZ exit-skips-defer
		}
		id, err := resolveObject(r, args[3])
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if err := st.Append(id, args[2]+"\n"); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	case "show":
		id, err := resolveObject(r, args[len(args)-1])
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		text, err := st.Show(id)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		fmt.Fprint(env.Stdout, text)
	case "prune":
		n, err := st.Prune(func(id object.ID) (bool, error) { return r.Objects.Has(id), nil })
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		fmt.Fprintf(env.Stderr, "pruned %d notes\n", n)
	default:
		return cli.Errorf(env, "unknown notes command %q", args[0])
	}
	if err := st.Flush(); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}
