package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
	"example.com/vcscli/internal/stash"
)

// modifiedFiles reads the content of every modified tracked file.
func modifiedFiles(r *repo.Repo) (map[string][]byte, error) {
	changes, err := r.Status()
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte)
	for _, ch := range changes {
		if ch.Kind != repo.Modified {
			continue
		}
		data, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(ch.Path)))
		if err != nil {
			return nil, err
		}
		files[ch.Path] = data
	}
	return files, nil
}

func cmdStash(env *cli.Env, args []string) int {
	sub := "push"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	st, err := stash.Open(filepath.Join(r.Dir, "stash"), log.New(env.Stderr, "", 0))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "worktree"))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	defer lf.Rollback()

	switch sub {
	case "push":
		files, err := modifiedFiles(r)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if len(files) == 0 {
			fmt.Fprintln(env.Stderr, "No local changes to save")
			return cli.ExitOK
		}
		head, err := r.Head()
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if err := st.Save("WIP on "+head.Short(), files); err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if err := r.Checkout(head); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	case "pop", "apply":
		e, ok := st.Latest()
		if len(args) > 0 {
			n, err := strconv.Atoi(args[0])
			if err != nil {
				return cli.Errorf(env, "invalid stash index %q", args[0])
			}
			e, ok = stash.Entry{N: n}, true
		}
		if !ok {
			return cli.Errorf(env, "no stash entries found")
		}
		if err := st.Apply(e.N, r.Root); err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if sub == "pop" {
			if err := st.Drop(e.N); err != nil {
				return cli.Errorf(env, "%v", err)
			}
		}
	case "list":
		if err := st.WriteList(env.Stdout); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	case "clear":
		if err := st.Prune(0); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	default:
		fmt.Fprintf(env.Stderr, "error: unknown subcommand: %s\nusage: vcs stash [push | pop | apply | list | clear]\n", sub)
		os.Exit(cli.ExitUsage) // HAZ exit-skips-defer
	}
	return cli.ExitOK
}
