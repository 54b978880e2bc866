// Command sfu runs the SFU control plane: the signalling server, the admin
// API, keyframe throttling and statistics aggregation.
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

	"example.com/confsfu/internal/admin"
	"example.com/confsfu/internal/keyframe"
	"example.com/confsfu/internal/recording"
	"example.com/confsfu/internal/sfu"
	"example.com/confsfu/internal/signaling"
	"example.com/confsfu/internal/stats"
)

func main() {
	var (
		sigAddr   = flag.String("signal", ":7000", "signalling listen address")
		adminAddr = flag.String("admin", "127.0.0.1:7080", "admin API listen address")
		recDir    = flag.String("record", "", "record rooms into this directory (disabled if empty)")
		exportDir = flag.String("export", os.TempDir(), "directory for stats exports")
		maxRoom   = flag.Int("max-room", 50, "maximum participants per room")
		kfGap     = flag.Duration("keyframe-gap", 500*time.Millisecond, "minimum gap between keyframe requests per track")
	)
	flag.Parse()
	lg := log.New(os.Stderr, "sfu ", log.LstdFlags|log.Lmicroseconds)

	ln, err := net.Listen("tcp", *sigAddr)
	if err != nil {
		lg.Fatalf("listen %s: %v", *sigAddr, err)
	}
	var rec *recording.Recorder
	if *recDir != "" {
		if rec, err = recording.NewRecorder(*recDir, 64<<20, lg); err != nil {
			lg.Fatalf("recorder: %v", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	reg := sfu.NewRegistry(*maxRoom, lg)
	kf := keyframe.New(*kfGap, lg)
	agg := stats.NewAggregator(4, 2*time.Second, lg)
	sig := signaling.NewServer(reg, rec, kf, lg)
	api := admin.New(reg, agg, *exportDir, lg)
	adminSrv := &http.Server{Addr: *adminAddr, Handler: api, ReadHeaderTimeout: 5 * time.Second}

	go kf.Run(ctx, func(ssrc uint32) error {
		lg.Printf("keyframe request for ssrc %d", ssrc)
		return nil
	})
	go kf.PruneEvery(ctx, time.Minute, 10*time.Minute)
	workers := agg.Start(ctx)
	go func() {
		for ev := range api.ModEvents() {
			lg.Printf("moderation: %s in %s by %s", ev.Action, ev.Room, ev.By)
		}
	}()
	go func() {
		if err := sig.Serve(ln); err != nil {
			lg.Printf("signalling server: %v", err)
			stop()
		}
	}()
	go func() {
		if err := adminSrv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			lg.Printf("admin server: %v", err)
			stop()
		}
	}()

	<-ctx.Done()
	lg.Printf("shutting down")
	shCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := adminSrv.Shutdown(shCtx); err != nil {
		lg.Printf("admin shutdown: %v", err)
	}
	if err := sig.Shutdown(shCtx); err != nil {
		lg.Printf("signalling shutdown: %v", err)
	}
	if err := reg.CloseAll(shCtx); err != nil {
		lg.Printf("closing rooms: %v", err)
	}
	workers.Wait()
	if rec != nil {
		if err := rec.Finish(filepath.Join(*recDir, "manifest.json")); err != nil {
			lg.Printf("finishing recording: %v", err)
		}
	}
}
