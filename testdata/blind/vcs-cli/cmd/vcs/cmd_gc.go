package main

import (
	"context"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/gc"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pack"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

func cmdGc(env *cli.Env, args []string) int {
	fs := newFlags(env, "gc", "[--prune=<age>] [--aggressive]")
	prune := fs.Duration("prune", 14*24*time.Hour, "prune unreachable objects older than this")
	aggressive := fs.Bool("aggressive", false, "repack everything by kind")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "gc.pid"))
	if err != nil {
		die("gc is already running on this repository: %v", err)
	}
	defer lf.Rollback()
	fmt.Fprintf(lf, "%d\n", os.Getpid())

	col := gc.New(r.Objects, r.Refs, r.PackDir(), gc.Options{Grace: *prune, Logger: log.New(env.Stderr, "", 0)})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := col.RunNow(ctx)
	if err != nil {
		die("gc failed: %v", err) // HAZ exit-skips-defer
	}
	if *aggressive {
		names, err := col.RepackByKind()
		if err != nil {
			return cli.Errorf(env, "repack: %v", err)
		}
		fmt.Fprintf(env.Stderr, "wrote %d packs\n", len(names))
	}
	if err := col.PruneTemp(*prune); err != nil {
		return cli.Errorf(env, "prune: %v", err)
	}
	fmt.Fprintf(env.Stdout, "Removed %d unreachable objects; %d loose objects remain.\n", st.Removed, st.Loose)
	return cli.ExitOK
}

// looseIDs lists every loose object of r.
func looseIDs(r *repo.Repo) ([]object.ID, error) {
	var ids []object.ID
	err := r.Objects.ForEach(func(id object.ID, _ fs.FileInfo) error {
		ids = append(ids, id)
		return nil
	})
	return ids, err
}

func cmdPackObjects(env *cli.Env, args []string) int {
	fs := newFlags(env, "pack-objects", "[--keep-loose]")
	keep := fs.Bool("keep-loose", false, "do not delete loose objects once packed")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	ids, err := looseIDs(r)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if len(ids) == 0 {
		fmt.Fprintln(env.Stderr, "Nothing new to pack.")
		return cli.ExitOK
	}
	name, err := pack.Build(r.PackDir(), r.Objects, ids)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	if !*keep {
		for _, id := range ids {
			if err := r.Objects.Remove(id); err != nil {
				return cli.Errorf(env, "%v", err)
			}
		}
	}
	fmt.Fprintln(env.Stdout, name)
	return cli.ExitOK
}

func cmdVerifyPack(env *cli.Env, args []string) int {
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	paths := args
	if len(paths) == 0 {
		var err error
		if paths, err = pack.List(r.PackDir()); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	}
	if err := pack.VerifyAll(paths); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	n, err := pack.CountObjects(paths)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	fmt.Fprintf(env.Stdout, "%d packs ok, %d objects\n", len(paths), n)
	return cli.ExitOK
}

func cmdArchive(env *cli.Env, args []string) int {
	fs := newFlags(env, "archive", "-o <file> [--prefix=<dir>/] <tree-ish>")
	out := fs.String("o", "", "write the archive to <file>")
	prefix := fs.String("prefix", "", "prepend <prefix>/ to paths in the archive")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	if *out == "" || fs.NArg() != 1 {
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
	files, err := r.TreeFiles(id)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	entries := make([]pack.ArchiveFile, 0, len(files))
	for _, tf := range files {
		_, data, err := r.Objects.Read(tf.ID)
		if err != nil {
			return cli.Errorf(env, "%v", err)
		}
		entries = append(entries, pack.ArchiveFile{Path: tf.Path, Mode: tf.Mode, Data: data})
	}
	if err := pack.ExportArchive(*out, *prefix, entries); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}
