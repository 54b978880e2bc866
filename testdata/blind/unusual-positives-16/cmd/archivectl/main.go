// Command archivectl runs maintenance tasks against the archive.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/up16/internal/catalog"
	"example.com/up16/internal/export"
	"example.com/up16/internal/httpapi"
	"example.com/up16/internal/lease"
	"example.com/up16/internal/pipeline"
	"example.com/up16/internal/safe"
	"example.com/up16/internal/sink"
)

const usage = "usage: archivectl [-root dir] verify|serve|watch|sweep [args]"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "archivectl:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fset := flag.NewFlagSet("archivectl", flag.ContinueOnError)
	root := fset.String("root", "/var/lib/archiver", "archive root")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() == 0 {
		return errors.New(usage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "archivectl: ", log.LstdFlags)
	dir, err := sink.NewDir(filepath.Join(*root, "data"))
	if err != nil {
		return err
	}
	cat := catalog.New("archivectl")
	switch cmd, rest := fset.Arg(0), fset.Args()[1:]; cmd {
	case "verify":
		exp := export.New(dir, dir, cat, &lease.Manager{Dir: filepath.Join(*root, "leases")}, logger)
		return verify(exp, filepath.Join(*root, "index.json"))
	case "serve":
		return serve(ctx, cat, dir, logger, rest)
	case "watch":
		return watch(ctx, logger, rest)
	case "sweep":
		return sweep(rest)
	default:
		return fmt.Errorf("unknown command %q; %s", cmd, usage)
	}
}

func verify(exp *export.Exporter, indexPath string) error {
	if err := exp.ImportEach([]string{indexPath}); err != nil {
		return err
	}
	return exp.VerifyAll()
}

func serve(ctx context.Context, cat *catalog.Catalog, dir *sink.Dir, logger *log.Logger, args []string) error {
	addr := ":8411"
	if len(args) > 0 {
		addr = args[0]
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := httpapi.NewServer(addr, httpapi.NewHandler(cat, dir, "", logger),
		httpapi.WithShutdownHook(func() { logger.Print("stopped") }))
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return nil
	}
}

func watch(ctx context.Context, logger *log.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New("watch: need an address")
	}
	sup := safe.New(logger)
	p := &safe.Poller{
		Every: 30 * time.Second,
		Log:   logger,
		Probe: func(ctx context.Context) error {
			return pipeline.SweepOne(pipeline.Target{Name: args[0], Addr: args[0]}, 5*time.Second)
		},
	}
	return sup.Do("watch", func() error {
		p.Run(ctx)
		return nil
	})
}

func sweep(args []string) error {
	targets := make([]pipeline.Target, 0, len(args))
	for _, a := range args {
		targets = append(targets, pipeline.Target{Name: a, Addr: a})
	}
	down, n := pipeline.Sweep(targets, 3*time.Second)
	fmt.Printf("%d dialled, %d down\n", n, len(down))
	for _, d := range down {
		fmt.Println("down:", d)
	}
	if len(down) > 0 {
		return fmt.Errorf("%d targets unreachable", len(down))
	}
	return nil
}
