// Command nightly runs "relcli release" on a schedule for nightly builds and
// exposes the result of the last run on a small status endpoint.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/releasecli/internal/config"
	"example.com/releasecli/internal/workspace"
)

type status struct {
	mu      sync.Mutex
	LastRun time.Time `json:"last_run"`
	OK      bool      `json:"ok"`
	Error   string    `json:"error,omitempty"`
	LogPath string    `json:"log_path"`
}

func (st *status) set(err error, logPath string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.LastRun = time.Now().UTC()
	st.OK = err == nil
	st.Error = ""
	if err != nil {
		st.Error = err.Error()
	}
	st.LogPath = logPath
}

func (st *status) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st.mu.Lock()
	body, err := json.Marshal(st)
	st.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// runOnce runs one release and records the outcome in st.
func runOnce(ctx context.Context, cfgPath string, ws *workspace.Workspace, st *status, logger *log.Logger) {
	logPath := ws.Path(fmt.Sprintf("nightly-%s.log", time.Now().UTC().Format("20060102-150405")))
	f, err := os.Create(logPath)
	if err != nil {
		st.set(err, "")
		return
	}
	cmd := exec.CommandContext(ctx, "relcli", "-config", cfgPath, "release")
	cmd.Env = append(os.Environ(), "RELCLI_VERSION=nightly-"+time.Now().UTC().Format("20060102"))
	cmd.Stdout, cmd.Stderr = f, f
	runErr := cmd.Run()
	if err := f.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		logger.Printf("nightly: release failed: %v (log: %s)", runErr, logPath)
	}
	st.set(runErr, logPath)
}

func main() {
	cfgPath := flag.String("config", config.FileName, "relcli configuration")
	every := flag.Duration("every", 24*time.Hour, "interval between runs")
	statusAddr := flag.String("status", "127.0.0.1:9090", "status endpoint address")
	flag.Parse()

	logger := log.New(os.Stderr, "nightly: ", log.LstdFlags)
	if _, err := config.Load(*cfgPath); err != nil {
		log.Fatalf("nightly: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ws, err := workspace.New("relcli-nightly-", true, logger)
	if err != nil {
		logger.Print(err)
		return
	}
	defer ws.Close()

	st := &status{}
	srv := &http.Server{Addr: *statusAddr, Handler: st, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			logger.Printf("status server: %v", err)
			stop()
		}
	}()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Printf("status server shutdown: %v", err)
		}
	}()

	t := time.NewTicker(*every)
	defer t.Stop()
	for {
		runOnce(ctx, *cfgPath, ws, st, logger)
		select {
		case <-ctx.Done():
			logger.Print("shutting down")
			return
		case <-t.C:
		}
	}
}
