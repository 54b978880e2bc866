// Command worker-graceful runs a background sampler until SIGTERM.
package main

import (
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	pidFile := "/run/worker.pid"
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Printf("pid file: %v", err)
		return
	}
	defer os.Remove(pidFile)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				log.Printf("sample at %s", now.Format(time.RFC3339))
			}
		}
	}()
	<-sigs // ok: waits for the signal instead of select {}
	close(done)
}
