package main

import (
	"bufio"
	"net/http"
	"os"
)

func main() {
	f, err := os.Create("access.log")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	srv := &http.Server{Addr: ":8080"}
	if err := srv.ListenAndServe(); err != nil { // want `main defers w.Flush\(\) \(line 16\) and then blocks in \(\*net/http.Server\).ListenAndServe`
		panic(err)
	}
}
