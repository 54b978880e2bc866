package outsiderecover

import (
	"context"
	"log"
	"net/http"
)

// Goroutines that only bridge a signal to a cancel, or only wrap another package's call.
func serveUntilDone(ctx context.Context, srv *http.Server, sig chan struct{}) error {
	defer func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-sig:
			cancel()
		case <-ctx.Done():
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	return <-errc
}
