// Command gateway serves the order API behind the middleware chain and
// stops cleanly on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up10/internal/events"
	"example.com/up10/internal/httpmw"
	"example.com/up10/internal/lifecycle"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	auditPath := flag.String("audit", "gateway-audit.log", "audit log")
	flag.Parse()

	audit, err := lifecycle.OpenAudit(*auditPath)
	if err != nil {
		log.Fatalf("audit: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	sink, stream := events.NewSink()
	go events.Dispatch(ctx, stream, func(ev events.Event) error {
		log.Printf("event %s order=%s", ev.Kind, ev.OrderID)
		return nil
	})

	mux := http.NewServeMux()
	events.NewOrderHandler(events.NewOrderStore(), sink, events.NewCounter()).Routes(mux)
	logger := log.New(os.Stderr, "http ", log.LstdFlags)
	h := httpmw.Chain(mux,
		httpmw.SafeRecoverer(logger),
		httpmw.AccessLog(logger),
		httpmw.RequestID,
		httpmw.NewLimiter(20, 40).Strict,
		httpmw.NewGate(512).Wrap,
		httpmw.Deadline(10*time.Second),
	)

	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	defer lifecycle.Shutdown(srv, audit, 15*time.Second)
	audit.Printf("gateway starting on %s", *addr)

	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("listen: %v", err)
			stop()
		}
	}()
	<-ctx.Done()
	log.Print("gateway: stopping")
}
