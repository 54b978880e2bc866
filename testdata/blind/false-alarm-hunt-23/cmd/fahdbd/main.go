// Command fahdbd runs the fahdb development server.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/fah23/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5544", "listen address")
	dir := flag.String("dir", "./fahdb-data", "data directory")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatalf("fahdbd: %v", err)
	}
	eng, err := loadEngine(*dir)
	if err != nil {
		log.Fatalf("fahdbd: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("fahdbd: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer saveEngine(eng, *dir)

	srv := server.New(eng, *dir)
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			log.Printf("fahdbd: shutdown: %v", err)
		}
	}()
	log.Printf("fahdbd: listening on %s", ln.Addr())
	if err := srv.Serve(ln); err != nil {
		log.Printf("fahdbd: serve: %v", err)
	}
}

func loadEngine(dir string) (*server.Engine, error) {
	eng := server.NewEngine()
	err := eng.LoadSnapshot(filepath.Join(dir, "snapshot.fah"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return eng, nil
}

func saveEngine(eng *server.Engine, dir string) {
	if err := eng.SaveSnapshot(filepath.Join(dir, "snapshot.fah")); err != nil {
		log.Printf("fahdbd: saving snapshot: %v", err)
	}
}
