package main

import (
	"context"
	"net/http"
	"sync"
)

var mu sync.Mutex

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mu.Lock()
	defer mu.Unlock()
	srv := &http.Server{Addr: ":8080", BaseContext: nil}
	_ = ctx
	_ = srv.ListenAndServe()
}
