// Command cachectl inspects and trims the shared build cache, and can serve
// cache statistics to the team dashboard.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/clidevtools/internal/buildcache"
	"example.com/clidevtools/internal/fsutil"
	"example.com/clidevtools/internal/lockfile"
)

func cacheDir() string {
	if d := os.Getenv("DEVTOOLS_CACHE"); d != "" {
		return fsutil.ExpandHome(d)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "devtools")
}

func statsHandler(c *buildcache.Cache) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(c.Stats()); err != nil {
			log.Printf("stats: %v", err)
		}
	}
}

func serve(ctx context.Context, c *buildcache.Cache, addr string) error {
	srv := &http.Server{Addr: addr, Handler: statsHandler(c), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveFor serves stats for a fixed time (used by the dashboard smoke test);
// the deferred shutdown is bounded by its own timeout.
func serveFor(c *buildcache.Cache, addr string, d time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: statsHandler(c), ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("shutdown: %v", err)
		}
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("serve: %v", err)
		}
	}()
	time.Sleep(d)
	return nil
}

func trim(c *buildcache.Cache, keep int) error {
	for _, p := range c.Trim(keep) {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return c.Save()
}

func main() {
	serveAddr := flag.String("serve", "", "serve stats on this address")
	smoke := flag.Duration("smoke", 0, "serve for this long and exit (with -serve)")
	keep := flag.Int("keep", 0, "trim the cache to this many entries")
	flag.Parse()

	c, err := buildcache.Open(cacheDir())
	if err != nil {
		log.Fatal(err)
	}
	lf, err := lockfile.Acquire(filepath.Join(cacheDir(), "cachectl.lock"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Release()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *keep > 0 {
		if err := trim(c, *keep); err != nil {
			log.Print(err)
			return
		}
	}
	if *serveAddr == "" {
		s := c.Stats()
		fmt.Printf("%d entries, %d bytes, %d hits, %d misses\n", s.Entries, s.Bytes, s.Hits, s.Misses)
		return
	}
	if *smoke > 0 {
		if err := serveFor(c, *serveAddr, *smoke); err != nil {
			log.Print(err)
		}
		return
	}
	log.Printf("serving cache stats on %s", *serveAddr)
	if err := serve(ctx, c, *serveAddr); err != nil {
		log.Print(err)
	}
}
