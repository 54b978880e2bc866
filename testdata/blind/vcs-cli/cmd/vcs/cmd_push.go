package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/credential"
	"example.com/vcscli/internal/diff"
	"example.com/vcscli/internal/fsck"
	"example.com/vcscli/internal/merge"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/progress"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/remote"
	"example.com/vcscli/internal/repo"
)

// remoteToken returns the token configured for rem, or one from the
// credential cache.
func remoteToken(ctx context.Context, r *repo.Repo, name string) (string, string, error) {
	rem, err := r.Config.Remote(name)
	if err != nil {
		return "", "", err
	}
	if rem.Token != "" {
		return rem.URL, rem.Token, nil
	}
	host := strings.TrimPrefix(strings.TrimPrefix(rem.URL, "https://"), "http://")
	host, _, _ = strings.Cut(host, "/")
	cred, err := credential.Lookup(ctx, credential.SocketPath(), host)
	if err != nil {
		return rem.URL, "", nil // anonymous
	}
	return rem.URL, cred.Password, nil
}

func cmdPush(env *cli.Env, args []string) int {
	fs := newFlags(env, "push", "[--verify] [<remote>]")
	verify := fs.Bool("verify", false, "check that the remote can serve what was pushed")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	name := "origin"
	if fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	logger := log.New(env.Stderr, "push: ", 0)
	lf, err := refs.Acquire(filepath.Join(r.Dir, "push"))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	defer lf.Rollback()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	url, token, err := remoteToken(ctx, r, name)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	meter := progress.New(env.Stderr, "Writing objects", 0)
	p := remote.NewPusher(url, token, r.Objects, meter, logger)
	local, err := r.Refs.List("refs/heads/")
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	plan, err := p.Plan(ctx, local)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if len(plan) == 0 {
		fmt.Fprintln(env.Stderr, "Everything up-to-date")
		return cli.ExitOK
	}
	objs, err := looseIDs(r)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if err := p.PushAndReport(ctx, env.Stderr, plan, objs); err != nil {
		logger.Fatalf("failed to push to %s: %v", url, err) // HAZ exit-skips-defer
	}
	if *verify {
		if err := p.VerifyRemote(ctx, objs); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	}
	return cli.ExitOK
}

func cmdMerge(env *cli.Env, args []string) int {
	fs := newFlags(env, "merge", "[--abort] <branch>")
	abort := fs.Bool("abort", false, "abort the merge in progress")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	m := merge.New(r, log.New(env.Stderr, "merge: ", 0))
	if *abort {
		if err := m.Abort(); err != nil {
			return cli.Errorf(env, "%v", err)
		}
		return cli.ExitOK
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return cli.ExitUsage
	}
	theirs, err := resolveObject(r, fs.Arg(0))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	head, err := r.Head()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	base, err := m.MergeBase(head, theirs)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if base == theirs {
		fmt.Fprintln(env.Stdout, "Already up to date.")
		return cli.ExitOK
	}
	switch err := m.Merge(context.Background(), base, theirs); err {
	case nil:
		fmt.Fprintln(env.Stdout, "Automatic merge went well; run 'vcs commit' to record it.")
		return cli.ExitOK
	case merge.ErrConflicts:
		for _, p := range m.State().Conflicts {
			fmt.Fprintf(env.Stdout, "CONFLICT (content): Merge conflict in %s\n", p)
		}
		fmt.Fprintln(env.Stdout, err)
		return cli.ExitConflict
	default:
		return cli.Errorf(env, "%v", err)
	}
}

func cmdDiff(env *cli.Env, args []string) int {
	fs := newFlags(env, "diff", "[--stat] [<path>...]")
	stat := fs.Bool("stat", false, "show a diffstat instead of the patch")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	changes, err := r.Status()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	ix, err := r.Index()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var ext *diff.External
	if tool, ok := r.Config.Get("diff.external"); ok {
		ext = &diff.External{Tool: tool, Timeout: time.Minute}
	}
	for _, ch := range changes {
		if ch.Kind != repo.Modified {
			continue
		}
		e, _ := ix.Get(ch.Path)
		_, old, err := r.Objects.Read(e.ID)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		cur, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(ch.Path)))
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		if ext != nil && !*stat {
			if err := ext.Run(ctx, ch.Path, old, cur); err != nil {
				return cli.Errorf(env, "%v", err)
			}
			continue
		}
		edits, err := diff.LinesBounded(ctx, diff.Split(old), diff.Split(cur))
		if err != nil {
			return cli.Errorf(env, "%s: %v", ch.Path, err)
		}
		if *stat {
			ins, del := 0, 0
			for _, e := range edits {
				switch e.Op {
				case diff.Insert:
					ins++
				case diff.Delete:
					del++
				}
			}
			fmt.Fprintf(env.Stdout, " %s | %d +%d -%d\n", ch.Path, ins+del, ins, del)
			continue
		}
		if err := diff.Write(env.Stdout, ch.Path, ch.Path, edits); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	}
	return cli.ExitOK
}

func cmdFsck(env *cli.Env, args []string) int {
	r, code := openRepo(env)
	if r == nil {
		os.Exit(code)
	}
	meter := progress.New(env.Stderr, "Checking objects", 0)
	defer meter.Phase("Checking objects")()
	c := fsck.New(filepath.Join(r.Dir, "objects"), 8, meter, log.New(env.Stderr, "", 0))
	if err := c.Run(context.Background(), r.PackDir()); err != nil {
		for _, p := range c.Problems() {
			fmt.Fprintf(env.Stdout, "error: %s\n", p)
		}
		return cli.ExitError
	}
	roots := []object.ID{}
	if all, err := r.Refs.List("refs/"); err == nil {
		for _, id := range all {
			roots = append(roots, id)
		}
	}
	if err := c.CheckConnectivity(r.Objects, roots); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	for _, p := range c.Problems() {
		fmt.Fprintf(env.Stdout, "missing: %s\n", p)
	}
	return cli.ExitOK
}
