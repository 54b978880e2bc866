// Command githost-admin manages the repositories of a githost server.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/githost/internal/admin"
	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/hooks"
	"example.com/githost/internal/storage"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func run(args []string) int {
	root := envOr("GITHOST_ROOT", "/srv/git")
	git := gitcmd.NewRunner(envOr("GITHOST_GIT", "git"))
	st, err := storage.Open(root, git)
	if err != nil {
		fmt.Fprintf(os.Stderr, "githost-admin: %v\n", err)
		return 1
	}
	defer func() {
		if err := st.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "githost-admin: closing store: %v\n", err)
		}
	}()
	hookDir := envOr("GITHOST_HOOKS", "/etc/githost/hooks")
	cli := &admin.CLI{
		Out:   os.Stdout,
		Err:   os.Stderr,
		Store: st,
		Git:   git,
		Hooks: hooks.NewRunner(hookDir, filepath.Join(root, ".hook-logs"), time.Minute, log.New(os.Stderr, "hooks: ", 0)),
	}
	return cli.Run(args)
}
