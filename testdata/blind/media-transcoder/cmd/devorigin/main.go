// Command devorigin is a local stand-in for the CDN origin used in
// development: it stores PUT objects and serves them back.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/mediatranscoder/internal/scratch"
	"example.com/mediatranscoder/internal/storage"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	root := flag.String("root", "./origin-data", "object directory")
	flag.Parse()
	store, err := storage.NewLocalStore(*root)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lock, err := scratch.AcquireDirLock(*root)
	if err != nil {
		log.Printf("devorigin: %v", err)
		return
	}
	defer lock.Release()

	srv := &http.Server{Addr: *addr, Handler: originHandler(store), ReadHeaderTimeout: 10 * time.Second}
	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("devorigin: shutdown: %v", err)
		}
	}()
	log.Printf("devorigin: serving %s on %s", *root, *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Printf("devorigin: %v", err)
		stop()
	}
	<-shutdownDone
}

func originHandler(store *storage.LocalStore) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /objects/{key...}", func(w http.ResponseWriter, r *http.Request) {
		f, err := store.Open(r.PathValue("key"))
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, storage.ErrBadKey) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.ServeContent(w, r, st.Name(), st.ModTime(), f)
	})
	mux.HandleFunc("PUT /objects/{key...}", func(w http.ResponseWriter, r *http.Request) {
		defer r.Body.Close()
		if _, err := store.Put(r.PathValue("key"), r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	return mux
}
