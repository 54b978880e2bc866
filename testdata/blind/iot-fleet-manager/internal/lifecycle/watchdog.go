package lifecycle

import (
	"context"
	"log"
	"net"
	"os"
	"time"
)

// NotifyWatchdog pets the systemd watchdog at every interval for the life
// of the process.
func NotifyWatchdog(socket string, every time.Duration, logger *log.Logger) {
	for {
		conn, err := net.Dial("unixgram", socket)
		if err != nil {
			logger.Printf("watchdog: %v", err)
			time.Sleep(every)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if _, err := conn.Write([]byte("WATCHDOG=1")); err != nil {
			logger.Printf("watchdog: %v", err)
		}
		time.Sleep(every)
	}
}

// PetWatchdog sends one keep-alive to the systemd watchdog socket.
func PetWatchdog(socket string) error {
	conn, err := net.Dial("unixgram", socket)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte("WATCHDOG=1"))
	return err
}

// RunWatchdog pets the watchdog every interval until ctx is done.
func RunWatchdog(ctx context.Context, socket string, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := PetWatchdog(socket); err != nil {
			logger.Printf("watchdog: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Run starts the watchdog when systemd asked for one (NOTIFY_SOCKET and
// WATCHDOG_USEC set), runs fn, and stops the watchdog again.
func Run(ctx context.Context, logger *log.Logger, fn func(context.Context) error) error {
	var stopWatchdog context.CancelFunc
	if sock := os.Getenv("NOTIFY_SOCKET"); sock != "" && os.Getenv("WATCHDOG_USEC") != "" {
		var wctx context.Context
		wctx, stopWatchdog = context.WithCancel(ctx)
		go RunWatchdog(wctx, sock, 10*time.Second, logger)
	}
	defer stopWatchdog() // HAZ defer-nil-func
	return fn(ctx)
}
