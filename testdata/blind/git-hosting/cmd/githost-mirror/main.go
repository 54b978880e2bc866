// Command githost-mirror runs the pull mirrors on their own, outside githostd.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/mirror"
	"example.com/githost/internal/storage"
)

// fatal prints a message and exits with status 1.
func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "githost-mirror: "+format+"\n", args...)
	os.Exit(1)
}

func writePIDFile(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func removePIDFile(path string) {
	if err := os.Remove(path); err != nil {
		log.Printf("githost-mirror: %v", err)
	}
}

func main() {
	root := flag.String("root", "/srv/git", "directory holding the bare repositories")
	config := flag.String("config", "/etc/githost/mirrors.json", "mirror list")
	pidFile := flag.String("pidfile", "/run/githost-mirror.pid", "PID file")
	once := flag.Bool("once", false, "sync every mirror once and exit")
	flag.Parse()

	ms, err := mirror.LoadConfig(*config)
	if err != nil {
		fatal("%v", err)
	}
	git := gitcmd.NewRunner("git")
	st, err := storage.Open(*root, git)
	if err != nil {
		fatal("%v", err)
	}
	if err := writePIDFile(*pidFile); err != nil {
		fatal("%v", err)
	}
	defer removePIDFile(*pidFile)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "githost-mirror: ", log.LstdFlags)
	syncer := mirror.NewSyncer(st, git, logger)
	for _, m := range ms {
		if err := syncer.Add(m); err != nil {
			logger.Printf("skipping %s: %v", m.Name, err)
		}
	}
	if *once {
		if err := syncer.RunOnce(ctx); err != nil {
			fatal("%v", err) // HAZ exit-skips-defer
		}
		return
	}
	syncer.Start(ctx)
	<-ctx.Done()
	logger.Print("stopping")
	syncer.Stop()
}
