// Command vcsh is a git helper: status summaries, guarded commits, bulk
// fetches and patch queues.
package main

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/clidevtools/internal/lockfile"
	"example.com/clidevtools/internal/vcs"
)

func usage() {
	fmt.Fprintln(os.Stderr, `usage: vcsh <command> [args]

commands:
  status           short status with branch
  commit -m MSG    commit staged changes
  branches         list local branches
  sync             fetch all remotes
  oplog            show the operation log`)
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("vcsh: ")
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	repo, err := vcs.Open(".")
	if err != nil {
		log.Fatal(err)
	}
	lf, err := lockfile.Acquire(filepath.Join(repo.Root, ".git", "vcsh", "cli.lock"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Release()
	if err := dispatch(context.Background(), repo, os.Args[1], os.Args[2:]); err != nil {
		log.Fatal(err) // HAZ exit-skips-defer
	}
}

func dispatch(ctx context.Context, repo *vcs.Repo, cmd string, args []string) error {
	switch cmd {
	case "status":
		return cmdStatus(ctx, repo)
	case "commit":
		return cmdCommit(ctx, repo, args)
	case "branches":
		return cmdBranches(ctx, repo)
	case "sync":
		return cmdSync(ctx, repo)
	case "oplog":
		return showOplog(filepath.Join(repo.Root, ".git", "vcsh", "oplog"))
	default:
		usage()
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func cmdStatus(ctx context.Context, repo *vcs.Repo) error {
	st, branch, err := repo.StatusAndHead(ctx)
	if err != nil {
		return err
	}
	staged, modified, untracked := st.Counts()
	fmt.Printf("on %s: %d staged, %d modified, %d untracked\n", branch, staged, modified, untracked)
	for _, e := range st {
		fmt.Println(" ", e)
	}
	return nil
}

func cmdCommit(ctx context.Context, repo *vcs.Repo, args []string) error {
	if len(args) < 2 || args[0] != "-m" {
		return fmt.Errorf("commit: need -m MESSAGE")
	}
	msg := strings.Join(args[1:], " ")
	if strings.TrimSpace(msg) == "" {
		return fmt.Errorf("commit: empty message")
	}
	return repo.Amend(ctx, msg)
}

func cmdBranches(ctx context.Context, repo *vcs.Repo) error {
	if err := repo.RefreshRefs(ctx); err != nil {
		return err
	}
	cur := repo.Branch()
	for _, b := range repo.Branches() {
		mark := " "
		if b == cur {
			mark = "*"
		}
		fmt.Printf("%s %s\n", mark, b)
	}
	return nil
}

func cmdSync(ctx context.Context, repo *vcs.Repo) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	remotes, err := repo.Remotes(ctx)
	if err != nil {
		return err
	}
	errs := repo.FetchEach(ctx, remotes)
	for _, e := range errs {
		fmt.Fprintln(os.Stderr, "fetch:", e)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d remotes failed", len(errs), len(remotes))
	}
	return nil
}

func showOplog(path string) error {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("oplog: %w", err)
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fmt.Printf("%4d  %s\n", n, sc.Text())
	}
	return sc.Err()
}
