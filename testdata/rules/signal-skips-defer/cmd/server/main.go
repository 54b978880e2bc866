package main

import (
	"net/http"
	"os"
)

func main() {
	f, err := os.Create("access.log")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	srv := &http.Server{Addr: ":8080"}
	if err := srv.ListenAndServe(); err != nil { // want `blocks in \(\*net/http.Server\).ListenAndServe`
		panic(err)
	}
}
