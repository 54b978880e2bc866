package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/vcscli/internal/bisect"
	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/submodule"
	"example.com/vcscli/internal/tag"
)

func cmdTag(env *cli.Env, args []string) int {
	fs := newFlags(env, "tag", "[-s] [-m <msg>] <name> [<commit>]")
	sign := fs.Bool("s", false, "make a GPG-signed tag")
	msg := fs.String("m", "", "tag message")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	if fs.NArg() == 0 {
		all, err := r.Refs.List("refs/tags/")
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		names := make([]string, 0, len(all))
		for name := range all {
			names = append(names, strings.TrimPrefix(name, "refs/tags/"))
		}
		sort.Strings(names)
		fmt.Fprintln(env.Stdout, strings.Join(names, "\n"))
		return cli.ExitOK
	}
	name := fs.Arg(0)
	if err := refs.ValidName("refs/tags/" + name); err != nil {
		return cli.Errorf(env, "'%s' is not a valid tag name", name)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "refs", "tags", name))
	if err != nil {
		die("tag '%s' is being created by another process: %v", name, err)
	}
	defer lf.Rollback()
	target, err := r.Head()
	if fs.NArg() > 1 {
		target, err = resolveObject(r, fs.Arg(1))
	}
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	t := &tag.Tag{Name: name, Target: target, Tagger: signature(r), Message: *msg + "\n"}
	if *sign {
		signer := &tag.Signer{Program: r.Config.GetDefault("gpg.program", "gpg"), KeyID: r.Config.GetDefault("user.signingkey", t.Tagger.Email), Timeout: time.Minute}
		sig, err := signer.Sign(context.Background(), t.Payload())
		if err != nil {
			die("gpg failed to sign the data: %v", err) // HAZ exit-skips-defer
		}
		t.Signature = sig
	}
	id, err := r.Objects.Write(object.KindTag, t.Encode())
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if _, err := fmt.Fprintf(lf, "%s\n", id); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if err := lf.Commit(); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}

// bisectRange lists the first-parent commits after good up to bad, oldest
// first.
func bisectRange(bad, good object.ID, log func(object.ID, int, func(object.ID, *object.Commit) error) error) ([]object.ID, error) {
	var ids []object.ID
	errStop := errors.New("stop")
	err := log(bad, 0, func(id object.ID, _ *object.Commit) error {
		if id == good {
			return errStop
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	return ids, nil
}

func cmdBisect(env *cli.Env, args []string) int {
	if len(args) < 3 || args[0] != "run" {
		fmt.Fprintln(env.Stderr, "usage: vcs bisect run <bad> <good> <script>...")
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	bad, err := resolveObject(r, args[1])
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	good, err := resolveObject(r, args[2])
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "BISECT_HEAD"))
	if err != nil {
		return cli.Errorf(env, "a bisection is already in progress: %v", err)
	}
	defer lf.Rollback()
	orig, err := r.Head()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	candidates, err := bisectRange(bad, good, r.Log)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	s := bisect.Start(filepath.Join(r.Dir, "BISECT_LOG"), r.Root, candidates, log.New(env.Stderr, "", 0))
	first, err := s.Run(context.Background(), orig, strings.Join(args[3:], " "))
	if err != nil {
		log.Fatalln("bisect run failed:", err) // HAZ exit-skips-defer
	}
	fmt.Fprintf(env.Stdout, "%s is the first bad commit\n", first)
	return cli.ExitOK
}

type moduleSummary func(w io.Writer, mods []submodule.Module, took time.Duration)

var moduleSummaries = map[string]moduleSummary{
	"short": func(w io.Writer, mods []submodule.Module, took time.Duration) {
		fmt.Fprintf(w, "%d submodules in %s\n", len(mods), took.Round(time.Millisecond))
	},
	"long": func(w io.Writer, mods []submodule.Module, took time.Duration) {
		for _, m := range mods {
			fmt.Fprintf(w, "%-30s %s\n", m.Path, m.URL)
		}
		fmt.Fprintf(w, "took %s\n", took.Round(time.Millisecond))
	},
}

func cmdSubmodule(env *cli.Env, args []string) int {
	fs := newFlags(env, "submodule", "[--summary=short|long] (update | sync | init)")
	format := fs.String("summary", "short", "how to summarise the run")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return cli.ExitUsage
	}
	summarize, ok := moduleSummaries[*format]
	if !ok {
		return cli.Errorf(env, "unknown summary format %q", *format)
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	mods, err := submodule.Parse(r.Root)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	start := time.Now()
	defer func() { summarize(env.Stdout, mods, time.Since(start)) }()
	exe, err := os.Executable()
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	u := submodule.NewUpdater(r.Root, exe, log.New(env.Stderr, "submodule: ", 0))
	ctx := context.Background()
	switch fs.Arg(0) {
	case "update":
		err = u.UpdateAll(ctx, mods)
	case "sync":
		err = u.Sync(ctx, mods)
	case "init":
		err = u.Init(ctx, mods)
	default:
		return cli.Errorf(env, "unknown submodule command %q", fs.Arg(0))
	}
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}
