// Command agent is the node agent: it runs containers for the scheduler and
// exposes a small status API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm3/runtime/container"
)

func main() {
	os.Exit(run()) // ok: main has no defers; run's defers have finished
}

// run returns the process exit code so its defers run before os.Exit.
func run() int {
	addr := flag.String("listen", "127.0.0.1:9100", "status API address")
	root := flag.String("root", "/var/lib/agent", "state directory")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	d := container.NewDaemon()
	rt := container.NewRuntime("runc", *root, d)
	if err := rt.ReloadStates(); err != nil {
		log.Printf("reload: %v", err)
		return 1 // ok: returned, not exited; stop() runs
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("listen: %v", err)
		return 1
	}
	srv := &http.Server{Handler: statusHandler(d), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Printf("serve: %v", err)
			return 1
		}
	case <-ctx.Done():
	}
	return shutdown(srv, d, rt)
}

// shutdown stops the server and the containers, each bounded by a timeout.
func shutdown(srv *http.Server, d *container.Daemon, rt *container.Runtime) int {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := 0
	if err := srv.Shutdown(ctx); err != nil {
		log.Printf("shutdown: %v", err)
		code = 1
	}
	err := d.StopAll(ctx, func(ctx context.Context, c *container.Container) error {
		return rt.Kill(ctx, c, 10*time.Second)
	})
	if err != nil {
		log.Printf("stop containers: %v", err)
		code = 1
	}
	return code
}

func statusHandler(d *container.Daemon) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/containers", func(w http.ResponseWriter, r *http.Request) {
		for _, s := range d.List() {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", s.ID, s.Name, s.State, s.Pid)
		}
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	return mux
}
