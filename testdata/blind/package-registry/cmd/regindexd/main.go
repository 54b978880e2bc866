// Command regindexd rebuilds the registry index from a GOPROXY-layout
// directory tree on a schedule and serves the result as JSON lines.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/registry/internal/index"
)

func main() {
	root := flag.String("root", "/srv/goproxy", "GOPROXY-layout directory")
	out := flag.String("out", "/var/lib/regindexd/index.jsonl", "where to persist the index")
	addr := flag.String("addr", ":8082", "listen address")
	every := flag.Duration("every", 15*time.Minute, "rebuild interval")
	workers := flag.Int("workers", 8, "rebuild workers")
	flag.Parse()
	logger := log.New(os.Stderr, "regindexd ", log.LstdFlags|log.Lmsgprefix)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatal(err)
	}
	defer ln.Close()

	x := index.New()
	defer persist(x, *out, logger)

	r := index.NewRebuilder(dirSource(*root), *workers, logger)
	go rebuildLoop(r, x, *every, logger)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /index.jsonl", func(w http.ResponseWriter, req *http.Request) {
		http.ServeFile(w, req, *out)
	})
	logger.Printf("serving %s on %s", *out, ln.Addr())
	if err := http.Serve(ln, mux); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// rebuildLoop replaces the index with a fresh rebuild on every tick.
func rebuildLoop(r *index.Rebuilder, x *index.Index, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for ; ; <-t.C {
		ctx, cancel := context.WithTimeout(context.Background(), every)
		fresh, err := r.Rebuild(ctx)
		cancel()
		if err != nil {
			logger.Printf("rebuild: %v", err)
			continue
		}
		x.Replace(fresh)
		logger.Printf("rebuilt: %d versions", x.VersionCount())
	}
}

// persist writes the index on the way out.
func persist(x *index.Index, path string, logger *log.Logger) {
	if err := x.SaveTo(path); err != nil {
		logger.Printf("persist: %v", err)
	}
}

// dirSource lists modules from a GOPROXY-layout directory.
type dirSource string

func (d dirSource) Modules(ctx context.Context) ([]string, error) {
	var mods []string
	err := filepath.WalkDir(string(d), func(path string, de os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() && de.Name() == "@v" {
			rel, err := filepath.Rel(string(d), filepath.Dir(path))
			if err != nil {
				return err
			}
			mods = append(mods, filepath.ToSlash(rel))
			return filepath.SkipDir
		}
		return ctx.Err()
	})
	return mods, err
}

func (d dirSource) Versions(ctx context.Context, mod string) ([]index.Entry, error) {
	dir := filepath.Join(string(d), filepath.FromSlash(mod), "@v")
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []index.Entry
	for _, de := range des {
		ver, ok := strings.CutSuffix(de.Name(), ".zip")
		if !ok {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			return nil, err
		}
		out = append(out, index.Entry{Module: mod, Version: ver, Size: fi.Size(), Time: fi.ModTime()})
	}
	return out, nil
}
