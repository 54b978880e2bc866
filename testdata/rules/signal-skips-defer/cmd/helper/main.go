package main

import (
	"net/http"

	"example.com/sig/store"
)

func run(addr string) error {
	srv := &http.Server{Addr: addr}
	return srv.ListenAndServe()
}

func main() {
	db, _ := store.Open("x")
	defer db.Close()
	_ = run(":8080") // want `blocks in \(\*net/http.Server\).ListenAndServe through main → run \(line 17\)`
}
