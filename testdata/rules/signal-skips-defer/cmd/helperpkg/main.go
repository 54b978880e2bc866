// The signal handling lives in a package of the module that main imports: not a finding.
package main

import (
	"bufio"
	"context"
	"net/http"
	"os"

	"example.com/sig/signals"
)

func main() {
	ctx := signals.OnShutdown()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	srv := &http.Server{Addr: ":8080"}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	_ = srv.ListenAndServe()
}
