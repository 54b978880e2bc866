// Command ftp is a small non-interactive client:
//
//	ftp [flags] get REMOTE [LOCAL]
//	ftp [flags] put LOCAL [REMOTE]
//	ftp [flags] ls [DIR]
//	ftp [flags] who            (admin API: list sessions)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"text/tabwriter"
	"time"

	"example.com/ftpsrv/client"
)

var errUsage = errors.New("usage: ftp [flags] get|put|ls|who ARGS")

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ftp:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run does all the work, so that its defers run before main exits.
func run(args []string) error {
	fs := flag.NewFlagSet("ftp", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:2121", "server address")
	user := fs.String("user", os.Getenv("FTP_USER"), "user name")
	adminURL := fs.String("admin", "http://127.0.0.1:8121", "admin API base URL")
	timeout := fs.Duration("timeout", 2*time.Minute, "overall timeout")
	retries := fs.Int("retries", 3, "connection retries")
	quiet := fs.Bool("q", false, "silence retry logging")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() == 0 {
		return errUsage
	}
	var restoreLog func()
	if *quiet {
		prev := log.Writer()
		log.SetOutput(io.Discard)
		restoreLog = func() { log.SetOutput(prev) }
	}
	defer restoreLog() // HAZ defer-nil-func

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	if fs.Arg(0) == "who" {
		return who(ctx, *adminURL)
	}
	c, err := client.Dial(ctx, client.Config{
		Addr: *addr, User: *user, Password: os.Getenv("FTP_PASSWORD"), Retries: *retries,
	})
	if err != nil {
		return err
	}
	defer c.Close()

	switch fs.Arg(0) {
	case "get":
		if fs.NArg() < 2 {
			return errUsage
		}
		local := fs.Arg(2)
		if local == "" {
			local = path.Base(fs.Arg(1))
		}
		return c.GetFile(ctx, fs.Arg(1), local)
	case "put":
		if fs.NArg() < 2 {
			return errUsage
		}
		remote := fs.Arg(2)
		if remote == "" {
			remote = filepath.Base(fs.Arg(1))
		}
		return c.PutFile(ctx, fs.Arg(1), remote)
	case "ls":
		names, err := c.List(ctx, fs.Arg(1))
		if err != nil {
			return err
		}
		for _, n := range names {
			fmt.Println(n)
		}
		return nil
	default:
		return errUsage
	}
}

// who prints the server's sessions as a table.
func who(ctx context.Context, adminURL string) error {
	sessions, err := client.AdminSessions(ctx, adminURL, os.Getenv("FTPSRV_ADMIN_TOKEN"))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tREMOTE\tSINCE\tIDLE")
	for _, s := range sessions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.User, s.Remote, s.Started.Format(time.DateTime), s.Idle)
	}
	return tw.Flush()
}
