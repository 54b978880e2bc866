// Command githostd is the git hosting server: smart HTTP, archive downloads,
// server hooks and pull mirrors.
package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/githost/internal/archive"
	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/mirror"
	"example.com/githost/internal/smarthttp"
	"example.com/githost/internal/storage"
)

type config struct {
	addr        string
	root        string
	cacheDir    string
	hookDir     string
	mirrorsFile string
	gitPath     string
	pushToken   string
}

func parseConfig() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":8080", "HTTP listen address")
	flag.StringVar(&cfg.root, "root", "/srv/git", "directory holding the bare repositories")
	flag.StringVar(&cfg.cacheDir, "cache", "/var/cache/githost", "archive cache directory")
	flag.StringVar(&cfg.hookDir, "hooks", "/etc/githost/hooks", "server hook directory")
	flag.StringVar(&cfg.mirrorsFile, "mirrors", "", "JSON file listing pull mirrors")
	flag.StringVar(&cfg.gitPath, "git", "git", "git binary")
	flag.Parse()
	cfg.pushToken = os.Getenv("GITHOST_PUSH_TOKEN")
	return cfg
}

// tokenAuth allows anonymous reads and pushes with the shared token as password.
func tokenAuth(token string) smarthttp.AuthFunc {
	return func(_, pass, _ string, write bool) bool {
		if !write {
			return true
		}
		return token != "" && subtle.ConstantTimeCompare([]byte(pass), []byte(token)) == 1
	}
}

// archiveHandler serves /archive/<repo>/<rev>.tar.gz.
func archiveHandler(st *storage.Store, b *archive.Builder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, file, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/archive/"), "/")
		rev, isTarGz := strings.CutSuffix(file, ".tar.gz")
		if !ok || !isTarGz || !gitcmd.ValidRev(rev) {
			http.NotFound(w, r)
			return
		}
		repo, err := st.Get(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		b.ServeArchive(w, r, name, repo.Path, rev)
	}
}

func newMux(st *storage.Store, h *smarthttp.Handler, b *archive.Builder) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/git/", http.StripPrefix("/git", h))
	mux.Handle("/archive/", archiveHandler(st, b))
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		if err := h.Stats().WriteText(w); err != nil {
			log.Printf("metrics: %v", err)
		}
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	return mux
}

func main() {
	cfg := parseConfig()
	logger := log.New(os.Stderr, "githostd: ", log.LstdFlags)
	git := gitcmd.NewRunner(cfg.gitPath)
	st, err := storage.Open(cfg.root, git)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	if err := os.MkdirAll(cfg.cacheDir, 0o755); err != nil {
		logger.Fatalf("cache dir: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if err := st.Close(); err != nil {
			logger.Printf("closing store: %v", err)
		}
	}()
	go func() {
		<-ctx.Done()
		force := make(chan os.Signal, 1)
		signal.Notify(force, os.Interrupt, syscall.SIGTERM)
		<-force
		logger.Print("second signal: exiting without cleanup")
		os.Exit(1)
	}()

	syncer := mirror.NewSyncer(st, git, logger)
	if cfg.mirrorsFile != "" {
		ms, err := mirror.LoadConfig(cfg.mirrorsFile)
		if err != nil {
			logger.Printf("mirrors disabled: %v", err)
		}
		for _, m := range ms {
			if err := syncer.Add(m); err != nil {
				logger.Printf("mirror %s: %v", m.Name, err)
			}
		}
	}
	syncer.Start(ctx)

	h := smarthttp.New(st, git, logger, tokenAuth(cfg.pushToken))
	b := archive.NewBuilder(git, cfg.cacheDir, logger)
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           smarthttp.WithAccessLog(logger, smarthttp.WithRecovery(logger, newMux(st, h, b))),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("serving %s on %s", cfg.root, cfg.addr)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("serve: %v", err)
		}
	case <-ctx.Done():
		logger.Print("shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("shutdown: %v", err)
	}
	syncer.Stop()
}
