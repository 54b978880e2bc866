// Command ftpd runs the FTP server with its admin endpoint.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/ftpsrv/internal/admin"
	"example.com/ftpsrv/internal/auth"
	"example.com/ftpsrv/internal/quota"
	"example.com/ftpsrv/internal/server"
	"example.com/ftpsrv/internal/xferlog"
)

func main() {
	var (
		addr      = flag.String("addr", ":2121", "control connection address")
		adminAddr = flag.String("admin", "127.0.0.1:8121", "admin HTTP address")
		usersFile = flag.String("users", "/etc/ftpsrv/users", "user database")
		homeRoot  = flag.String("root", "/srv/ftp", "directory holding the homes")
		xferPath  = flag.String("xferlog", "/var/log/ftpsrv/xferlog", "transfer log")
		journal   = flag.String("journal", "/var/lib/ftpsrv/quota.journal", "quota journal")
		pasv      = flag.String("pasv", "50000-50999", "passive port range")
		rate      = flag.Int64("rate", 0, "global transfer limit in bytes/s (0 = off)")
		grace     = flag.Duration("grace", 30*time.Second, "shutdown grace period")
		verbose   = flag.Bool("v", false, "verbose start-up")
		scanner   = flag.String("scan", "", "command that scans uploads on stdin")
	)
	flag.Parse()

	// Configuration errors: nothing has been set up yet, so exiting here
	// skips no cleanup.
	pmin, pmax, err := parseRange(*pasv)
	if err != nil {
		log.Fatalf("ftpd: -pasv: %v", err)
	}
	users, err := auth.LoadUsers(*usersFile)
	if err != nil {
		log.Fatalf("ftpd: %v", err)
	}
	for i, err := range server.CheckHomes(users.Homes(), *verbose) {
		if err != nil {
			log.Printf("ftpd: home %d: %v", i, err)
		}
	}

	// From here on, exit through the deferred os.Exit so that every other
	// deferred cleanup runs first.
	code := 0
	defer func() { os.Exit(code) }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	xfer, err := xferlog.Open(*xferPath, 4096)
	if err != nil {
		log.Printf("ftpd: %v", err)
		code = 1
		return
	}
	defer func() {
		if err := xfer.Close(); err != nil {
			log.Printf("ftpd: xferlog: %v", err)
			code = 1
		}
	}()

	quotas := quota.NewManager(func(user string) { log.Printf("ftpd: quota full for %s", user) })
	if snap, err := quota.ReadJournal(*journal); err != nil {
		log.Printf("ftpd: quota journal: %v (starting from zero)", err)
	} else {
		quotas.Restore(snap)
	}

	cfg := server.Config{
		Addr: *addr, PassiveMin: pmin, PassiveMax: pmax, RateLimit: *rate,
		IdleTimeout: 5 * time.Minute, DataTimeout: 30 * time.Second, MaxSessions: 512,
	}
	if *scanner != "" {
		cfg.OnUpload = func(user, path string, size int64) {
			host := filepath.Join(*homeRoot, user, filepath.FromSlash(path))
			go func() {
				if err := server.ScanUpload(*scanner, host); err != nil {
					log.Printf("ftpd: scan %s: %v", host, err)
				}
			}()
		}
	}
	srv, err := server.New(cfg, users, quotas, xfer)
	if err != nil {
		log.Printf("ftpd: %v", err)
		code = 1
		return
	}

	go srv.RunReaper(ctx, 30*time.Second)
	go func() {
		a := admin.New(srv.Table(), quotas, srv.Metrics(), *homeRoot, os.Getenv("FTPSRV_ADMIN_TOKEN"))
		if err := a.Run(ctx, *adminAddr); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("ftpd: admin: %v", err)
		}
	}()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go reloadOnHUP(ctx, hup, users, *usersFile)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("ftpd: %v", err)
		code = 1
		return
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Printf("ftpd: listening on %s", *addr)
	select {
	case err := <-errc:
		log.Printf("ftpd: %v", err)
		code = 1
	case <-ctx.Done():
		log.Printf("ftpd: signal received, draining for up to %s", *grace)
	}

	shutCtx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		log.Printf("ftpd: shutdown: %v", err)
	}
	if err := quota.AppendJournal(*journal, quotas.Snapshot(), time.Now()); err != nil {
		log.Printf("ftpd: quota journal: %v", err)
		code = 1
	}
}
