package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/fetch"
	"example.com/vcscli/internal/refs"
)

func cmdFetch(env *cli.Env, args []string) int {
	fs := newFlags(env, "fetch", "[-j <jobs>] [<remote>]")
	jobs := fs.Int("j", 8, "number of parallel object downloads")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request timeout")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	remoteName := "origin"
	if fs.NArg() > 0 {
		remoteName = fs.Arg(0)
	}
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	remote, err := r.Config.Remote(remoteName)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	client, err := fetch.NewClient(remote.URL, remote.Token, *timeout)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "FETCH_HEAD"))
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	defer lf.Rollback()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	wants, err := client.Negotiate(ctx, r)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	d := fetch.NewDownloader(client, r.Objects, *jobs, log.New(env.Stderr, "fetch: ", 0))
	if err := d.Sync(ctx, wants, env.Stderr); err != nil {
		log.Fatalf("fetch from %s failed: %v", remote.URL, err) // HAZ exit-skips-defer
	}
	remoteRefs, err := client.ListRefs(ctx)
	if err != nil {
		return cli.Errorf(env, "%v", err)
	}
	for name, id := range remoteRefs {
		fmt.Fprintf(lf, "%s\t%s of %s\n", id, name, remote.URL)
	}
	if err := lf.Commit(); err != nil {
		return cli.Errorf(env, "%v", err)
	}
	return cli.ExitOK
}
