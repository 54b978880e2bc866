// Command vcs is the command-line front end.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"example.com/vcscli/internal/cli"
	"example.com/vcscli/internal/repo"
	"example.com/vcscli/internal/trace"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) (code int) {
	defer cli.Recover(&code)
	defer trace.Region("vcs")()
	env := &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Dir: "."}
	return commands().Dispatch(env, args)
}

func commands() *cli.Registry {
	reg := cli.NewRegistry()
	for _, c := range []*cli.Command{
		{Name: "init", Summary: "Create an empty repository", Run: cmdInit},
		{Name: "add", Summary: "Add file contents to the index", Run: cmdAdd},
		{Name: "commit", Summary: "Record changes to the repository", Run: cmdCommit},
		{Name: "status", Summary: "Show the working tree status", Run: cmdStatus},
		{Name: "log", Summary: "Show commit logs", Run: cmdLog},
		{Name: "cat-file", Summary: "Show the content of an object", Run: cmdCatFile},
		{Name: "checkout", Summary: "Switch branches or restore files", Run: cmdCheckout},
		{Name: "branch", Summary: "List, create, or delete branches", Run: cmdBranch},
		{Name: "fetch", Summary: "Download objects and refs from a remote", Run: cmdFetch},
		{Name: "gc", Summary: "Clean up unreachable objects", Run: cmdGc},
		{Name: "pack-objects", Summary: "Pack loose objects", Run: cmdPackObjects},
		{Name: "verify-pack", Summary: "Validate packfiles", Run: cmdVerifyPack},
		{Name: "archive", Summary: "Create an archive of a tree", Run: cmdArchive},
		{Name: "mv", Summary: "Move or rename a tracked file", Run: cmdMv},
		{Name: "push", Summary: "Update remote refs along with associated objects", Run: cmdPush},
		{Name: "merge", Summary: "Join two development histories together", Run: cmdMerge},
		{Name: "diff", Summary: "Show changes between the index and the working tree", Run: cmdDiff},
		{Name: "fsck", Summary: "Verify the connectivity and validity of objects", Run: cmdFsck},
		{Name: "stash", Summary: "Stash the changes in a dirty working directory away", Run: cmdStash},
		{Name: "tag", Summary: "Create or list tags", Run: cmdTag},
		{Name: "bisect", Summary: "Find the commit that introduced a bug", Run: cmdBisect},
		{Name: "submodule", Summary: "Initialize, update or inspect submodules", Run: cmdSubmodule},
		{Name: "worktree", Summary: "Manage multiple working trees", Run: cmdWorktree},
		{Name: "notes", Summary: "Add or inspect object notes", Run: cmdNotes},
		{Name: "config", Summary: "Get and set repository options", Run: cmdConfig},
	} {
		reg.Register(c)
	}
	return reg
}

// openRepo opens the repository around env.Dir, printing the error itself.
func openRepo(env *cli.Env) (*repo.Repo, int) {
	r, err := repo.Open(env.Dir)
	if errors.Is(err, repo.ErrNotRepo) {
		fmt.Fprintf(env.Stderr, "fatal: %v\n", err)
		return nil, cli.ExitNotRepo
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "fatal: %v\n", err)
		return nil, cli.ExitFatal
	}
	return r, cli.ExitOK
}

// newFlags returns a flag set that reports errors on env.Stderr.
func newFlags(env *cli.Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: vcs %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// die prints a fatal message and exits with status 128, like git's die().
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fatal: "+format+"\n", args...)
	os.Exit(cli.ExitFatal)
}
